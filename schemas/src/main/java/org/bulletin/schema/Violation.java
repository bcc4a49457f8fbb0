package org.bulletin.schema;

/**
 * One failed schema rule.
 *
 * @param pointer RFC 6901 JSON pointer into the document ({@code ""} is the whole document)
 * @param message what is wrong there
 */
public record Violation(String pointer, String message) {}
