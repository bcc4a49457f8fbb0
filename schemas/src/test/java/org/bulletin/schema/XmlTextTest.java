package org.bulletin.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bulletin.testkit.HostileText.forInput;

import java.util.stream.Stream;
import org.bulletin.testkit.HostileText;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class XmlTextTest {
  private static final int CASES = 1_000;

  static Stream<String> anyText() {
    HostileText gen = HostileText.seeded(0x5C4E_3A51L);
    return Stream.generate(gen::any).limit(CASES);
  }

  static Stream<Arguments> prefixAndForbidden() {
    HostileText gen = HostileText.seeded(0x5C4E_3A52L);
    return Stream.generate(() -> Arguments.of(gen.lowercase(0, 255), gen.forbidden())).limit(CASES);
  }

  @ParameterizedTest(name = "case {index}")
  @MethodSource("anyText")
  void strippedTextHasNothingXmlForbidsAndKeepsEverythingItAllows(String any) {
    forInput(any, () -> {
      String stripped = XmlText.strip(any);
      assertThat(XmlText.indexOfIllegal(stripped)).isEqualTo(-1);
      assertThat(XmlText.strip(stripped)).isSameAs(stripped);
      StringBuilder allowed = new StringBuilder();
      any.codePoints().filter(XmlText::allowed).forEach(allowed::appendCodePoint);
      assertThat(stripped).isEqualTo(allowed.toString());
    });
  }

  @ParameterizedTest(name = "case {index}")
  @MethodSource("prefixAndForbidden")
  void controlsSurrogatesAndNoncharactersAreFound(String prefix, char bad) {
    String text = prefix + bad + "tail";
    forInput(text, () -> {
      assertThat(XmlText.indexOfIllegal(text)).isEqualTo(prefix.length());
      assertThat(XmlText.visible(text)).contains("[" + XmlText.name(bad) + "]");
    });
  }
}
