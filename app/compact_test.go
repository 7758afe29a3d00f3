package app

import "testing"

func TestCompactDropsOnlyIndentationBetweenTags(t *testing.T) {
	for in, want := range map[string]string{
		"<div>\n  <p>Un  texte\n avec espaces </p>\n  <a href=\"#\">Lien</a> suite\n</div>": "<div><p>Un  texte\n avec espaces </p><a href=\"#\">Lien</a> suite\n</div>",
		"<ul>\r\n\t<li>a</li>\t \n<li>b</li></ul>":                                          "<ul><li>a</li><li>b</li></ul>",
		"<p>fin</p>  ":      "<p>fin</p>  ",
		"a &gt; b <i>c</i>": "a &gt; b <i>c</i>",
		"<br>\n":            "<br>\n",
		"":                  "",
	} {
		if got := compact(in); got != want {
			t.Errorf("compact(%q) =\n%q\nwant\n%q", in, got, want)
		}
	}
}
