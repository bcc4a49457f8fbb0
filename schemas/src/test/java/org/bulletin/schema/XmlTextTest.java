package org.bulletin.schema;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Provide;

class XmlTextTest {

  @Property
  void strippedTextHasNothingXmlForbidsAndKeepsEverythingItAllows(@ForAll String any) {
    String stripped = XmlText.strip(any);
    assertThat(XmlText.indexOfIllegal(stripped)).isEqualTo(-1);
    assertThat(XmlText.strip(stripped)).isSameAs(stripped);
    StringBuilder allowed = new StringBuilder();
    any.codePoints().filter(XmlText::allowed).forEach(allowed::appendCodePoint);
    assertThat(stripped).isEqualTo(allowed.toString());
  }

  @Property
  void controlsSurrogatesAndNoncharactersAreFound(
      @ForAll @CharRange(from = 'a', to = 'z') String prefix,
      @ForAll("forbidden") char bad) {
    String text = prefix + bad + "tail";
    assertThat(XmlText.indexOfIllegal(text)).isEqualTo(prefix.length());
    assertThat(XmlText.visible(text)).contains("[" + XmlText.name(bad) + "]");
  }

  @Provide
  Arbitrary<Character> forbidden() {
    return Arbitraries.oneOf(Arbitraries.chars().range('\u0000', '\u0008'), Arbitraries.chars().range('\u000B', '\u000C'),
        Arbitraries.chars().range('\u000E', '\u001F'), Arbitraries.chars().range('\uD800', '\uDFFF'),
        Arbitraries.of('\uFFFE', '\uFFFF'));
  }
}
