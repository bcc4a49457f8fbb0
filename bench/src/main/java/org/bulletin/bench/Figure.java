package org.bulletin.bench;

/**
 * One reported figure.
 *
 * @param target what we hold ourselves to, in words
 * @param met whether the median meets it, or {@code null} where the figure has no target
 */
public record Figure(String scenario, String name, Stats stats, String target, Boolean met) {}
