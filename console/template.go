package console

import (
	_ "embed"
	"strings"

	"github.com/opendata-consent/consent/consent"
)

// template.json is where a new configuration starts: the texts of an
// Opendatasoft portal, in French and English, naming no portal but the one
// being made (nameToken, wherever a text needs its name), and its
// necessary category listing the platform's cookies and the consent
// manager's own. Its id, names and address are left empty for the team.
//
//go:embed template.json
var templateJSON []byte

// nameToken stands for the portal's name in the template's texts.
const nameToken = "{{name}}"

// standIn is what nameToken reads as, by language, until the team types
// the portal's name: a text that is right with or without it.
var standIn = map[string]string{"fr": "ce portail", "en": "this portal"}

// Template returns a new configuration, its texts written for the portal's
// name as it is (none yet), and named: each text that names the portal, by
// path, with nameToken where the name goes.
func Template() (p *consent.Portal, named map[string]string) {
	p, err := consent.DecodePortal("template.json", templateJSON)
	if err != nil {
		// The file is the package's own; TestTemplate reads it.
		panic(err)
	}
	named = map[string]string{}
	consent.EachText(p, func(path, text string) {
		if strings.Contains(text, nameToken) {
			named[path] = text
		}
	})
	for path, text := range named {
		if err := Set(p, path, nameIn(text, "", langOf(p, path))); err != nil {
			panic(err)
		}
	}
	return p, named
}

// nameIn writes text, a template's, with the portal's name in lang.
func nameIn(text, name, lang string) string {
	if name == "" {
		name = standIn[lang]
	}
	return strings.ReplaceAll(text, nameToken, name)
}

// langOf is the language of the text at path ("texts.fr.banner.title"):
// the path's part that is one of p's languages.
func langOf(p *consent.Portal, path string) string {
	for _, part := range strings.FieldsFunc(path, func(r rune) bool { return r == '.' || r == '[' || r == ']' }) {
		for _, lang := range p.Languages {
			if part == lang {
				return lang
			}
		}
	}
	return ""
}

// textAt is p's text at path, "" when there is none.
func textAt(p *consent.Portal, path string) string {
	var text string
	consent.EachText(p, func(at, t string) {
		if at == path {
			text = t
		}
	})
	return text
}
