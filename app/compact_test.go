package app

import "testing"

func TestCompactDropsOnlyIndentationBetweenTags(t *testing.T) {
	in := "<div>\n  <p>Un  texte\n avec espaces </p>\n  <a href=\"#\">Lien</a> suite\n</div>"
	want := "<div><p>Un  texte\n avec espaces </p><a href=\"#\">Lien</a> suite\n</div>"
	if got := compact(in); got != want {
		t.Errorf("compact(%q) =\n%q\nwant\n%q", in, got, want)
	}
}
