package org.bulletin.producer.ingest;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * Says which limit a JSON document broke, in the sender's terms: the parser's own message names
 * its classes and methods, which mean nothing to a client.
 */
final class JsonLimitMessage {
  private JsonLimitMessage() {}

  /** A sentence fragment such as "it is nested deeper than 1000 levels". */
  static String of(StreamConstraintsException e, StreamReadConstraints limits) {
    String raw = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (raw.startsWith("Document nesting depth")) {
      return "it is nested deeper than " + limits.getMaxNestingDepth() + " levels";
    } else if (raw.startsWith("Number value length")) {
      return "a number is longer than " + limits.getMaxNumberLength() + " digits";
    } else if (raw.startsWith("String value length")) {
      return "a string is longer than " + limits.getMaxStringLength() + " characters";
    } else if (raw.startsWith("Name length")) {
      return "a property name is longer than " + limits.getMaxNameLength() + " characters";
    } else if (raw.startsWith("Document length")) {
      return "it is longer than " + limits.getMaxDocumentLength() + " characters";
    }
    return "it exceeds a size limit of the JSON reader";
  }
}
