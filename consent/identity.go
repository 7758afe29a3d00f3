package consent

import (
	"cmp"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Identity is what names a portal in a text: its name in each language and
// its address's host ("Open Data Pau", "opendata.pau.fr"). A configuration
// started from another portal's keeps that portal's identity in its texts
// until each is rewritten; NamingOthers finds what was left.
func (p *Portal) Identity() []string {
	var names []string
	for _, lang := range p.Languages {
		if n := strings.TrimSpace(p.Name[lang]); n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	if u, err := url.Parse(p.Address); err == nil && u.Hostname() != "" {
		names = append(names, u.Hostname())
	}
	return names
}

// minIdentityLength leaves out names too short to be told from a word:
// a portal named "Data" does not make every other portal's "data" wrong.
const minIdentityLength = 5

// NamingOthers returns a problem for each text of p (its names, its
// categories, services and cookies, its interface texts) that names
// another portal the host serves: others maps each other portal's id to
// its Identity. A name is matched as whole words, whatever the case, and
// not where it is part of p's own name ("Open Data" inside "Open Data
// Rennes").
func (p *Portal) NamingOthers(others map[string][]string) []*ConfigError {
	ids := make([]string, 0, len(others))
	for id := range others {
		if id != p.ID {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	own := p.Identity()
	var list []*ConfigError
	EachText(p, func(path, text string) {
		text = strings.ToLower(text)
		for _, name := range own {
			text = strings.ReplaceAll(text, strings.ToLower(name), " ")
		}
		for _, id := range ids {
			for _, name := range others[id] {
				if utf8.RuneCountInString(name) >= minIdentityLength && containsWords(text, strings.ToLower(name)) {
					list = append(list, problem(path, "%q names the portal %q: write this portal's own texts", name, id))
					return
				}
			}
		}
	})
	return list
}

// EachText calls visit with every text of p that visitors read (its
// names, its categories, services and cookies, its interface texts), by
// JSON path, in the file's order.
//
//	consent.EachText(p, func(path, text string) { fmt.Println(path, text) })
func EachText(p *Portal, visit func(path, text string)) {
	eachText(reflect.ValueOf(p).Elem(), "", p.Languages, visit)
}

// textFields are the portal's fields that hold what visitors read.
var textFields = []string{"name", "categories", "texts"}

// eachText calls visit with every string under v that visitors read, by
// JSON path, in the file's order: a map's keys in the order of langs, the
// portal's languages.
func eachText(v reflect.Value, path string, langs []string, visit func(path, text string)) {
	switch v.Kind() {
	case reflect.String:
		visit(path, v.String())
	case reflect.Pointer:
		if !v.IsNil() {
			eachText(v.Elem(), path, langs, visit)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			if v.Type() == reflect.TypeFor[Portal]() && !slices.Contains(textFields, name) {
				continue
			}
			eachText(v.Field(i), join(path, name), langs, visit)
		}
	case reflect.Slice:
		for i := range v.Len() {
			eachText(v.Index(i), fmt.Sprintf("%s[%d]", path, i), langs, visit)
		}
	case reflect.Map:
		keys := v.MapKeys()
		rank := func(k reflect.Value) int {
			if i := slices.Index(langs, k.String()); i >= 0 {
				return i
			}
			return len(langs)
		}
		slices.SortFunc(keys, func(a, b reflect.Value) int {
			return cmp.Or(rank(a)-rank(b), strings.Compare(a.String(), b.String()))
		})
		for _, k := range keys {
			eachText(v.MapIndex(k), join(path, k.String()), langs, visit)
		}
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// containsWords tells whether words occurs in text with no letter or digit
// right before or after it.
func containsWords(text, words string) bool {
	for start := 0; ; {
		i := strings.Index(text[start:], words)
		if i < 0 {
			return false
		}
		i += start
		before, _ := utf8.DecodeLastRuneInString(text[:i])
		after, _ := utf8.DecodeRuneInString(text[i+len(words):])
		if !wordRune(before) && !wordRune(after) {
			return true
		}
		start = i + 1
	}
}

func wordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// CheckTogether checks what no portal shows alone: that none of portals'
// texts names another of them. files[i] names portals[i]'s file in the
// error, which is the first such text.
func CheckTogether(portals []*Portal, files []string) error {
	others := make(map[string][]string, len(portals))
	for _, p := range portals {
		others[p.ID] = p.Identity()
	}
	for i, p := range portals {
		if list := p.NamingOthers(others); len(list) > 0 {
			list[0].File, list[0].Lang = files[i], first(p.Languages)
			return list[0]
		}
	}
	return nil
}

// first is list's first element, or "" for an empty list.
func first(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}
