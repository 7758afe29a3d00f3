// Package console is the portal team's configurator: a go-app application
// (cmd/consent-console) that edits a portal's configuration as a form,
// validates it with the host's own validator and previews the banner, the
// dialog and the charter with the components visitors get.
//
// path.go edits a configuration by the paths the validator names its fields
// with ("categories[1].cookies[0].name", "texts.fr.banner.title"), so that
// each of its errors lands next to its input; it has no browser code.
package console

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/opendata-consent/consent/consent"
)

// step is one step of a path: a field or map key, or a list index.
type step struct {
	name  string
	index int // -1 for a name
}

func parsePath(path string) ([]step, error) {
	var steps []step
	for _, part := range strings.Split(path, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if name == "" {
			return nil, fmt.Errorf("path %q: an empty name", path)
		}
		steps = append(steps, step{name: name, index: -1})
		for rest != "" {
			n, after, ok := strings.Cut(rest, "]")
			i, err := strconv.Atoi(n)
			if !ok || err != nil || i < 0 {
				return nil, fmt.Errorf("path %q: %q is not an index", path, n)
			}
			steps = append(steps, step{index: i})
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return steps, nil
}

// field returns the struct field of v whose JSON name is name.
func field(v reflect.Value, name string) (reflect.Value, bool) {
	t := v.Type()
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); tag == name {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

// Set writes value, as the form's input holds it, at path in p: a text, a
// whole number, "true" or "false", a comma-separated list (one a line for
// paragraphs). An empty text removes a map's entry. Pointers on the way
// are created (setting "exempt.ownAudienceOnly" declares the exemption).
func Set(p *consent.Portal, path, value string) error {
	steps, err := parsePath(path)
	if err != nil {
		return err
	}
	return set(reflect.ValueOf(p).Elem(), steps, path, value)
}

func set(v reflect.Value, steps []step, path, value string) error {
	if len(steps) == 0 {
		return setLeaf(v, path, value)
	}
	s := steps[0]
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return set(v.Elem(), steps, path, value)
	case reflect.Struct:
		f, ok := field(v, s.name)
		if !ok || s.index >= 0 {
			return fmt.Errorf("%s: no field %q", path, s.name)
		}
		return set(f, steps[1:], path, value)
	case reflect.Slice:
		if s.index < 0 || s.index >= v.Len() {
			return fmt.Errorf("%s: no item %d", path, s.index)
		}
		return set(v.Index(s.index), steps[1:], path, value)
	case reflect.Map:
		if s.index >= 0 {
			return fmt.Errorf("%s: a map has no index", path)
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		key := reflect.ValueOf(s.name)
		if len(steps) == 1 && v.Type().Elem().Kind() != reflect.Pointer {
			if value == "" {
				v.SetMapIndex(key, reflect.Value{})
				return nil
			}
			elem := reflect.New(v.Type().Elem()).Elem()
			if err := setLeaf(elem, path, value); err != nil {
				return err
			}
			v.SetMapIndex(key, elem)
			return nil
		}
		elem := v.MapIndex(key)
		if !elem.IsValid() || elem.IsNil() {
			elem = reflect.New(v.Type().Elem().Elem())
			v.SetMapIndex(key, elem)
		}
		return set(elem.Elem(), steps[1:], path, value)
	}
	return fmt.Errorf("%s: %s has no %q", path, v.Type(), s.name)
}

func setLeaf(v reflect.Value, path, value string) error {
	switch v.Kind() {
	case reflect.String:
		v.SetString(value)
	case reflect.Int:
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil {
			return consent.Problem(path, "%q is not a whole number", value)
		}
		v.SetInt(int64(n))
	case reflect.Bool:
		v.SetBool(value == "true")
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.String {
			return fmt.Errorf("%s: a list of %s is edited item by item", path, v.Type().Elem())
		}
		v.Set(reflect.ValueOf(SplitList(path, value)))
	default:
		return fmt.Errorf("%s: a %s is not edited as text", path, v.Type())
	}
	return nil
}

// SplitList reads a list as its input holds it: paragraphs one a line,
// anything else separated by commas; blanks are dropped.
func SplitList(path, value string) []string {
	sep := ","
	if strings.HasSuffix(path, "paragraphs") {
		sep = "\n"
	}
	list := []string{}
	for _, item := range strings.Split(value, sep) {
		if item = strings.TrimSpace(item); item != "" {
			list = append(list, item)
		}
	}
	return list
}

// JoinList writes a list as its input holds it (SplitList).
func JoinList(path string, list []string) string {
	if strings.HasSuffix(path, "paragraphs") {
		return strings.Join(list, "\n")
	}
	return strings.Join(list, ", ")
}

// Add appends an empty item to the list at path ("categories",
// "categories[1].cookies").
func Add(p *consent.Portal, path string) error {
	return editList(p, path, func(list reflect.Value) (reflect.Value, error) {
		return reflect.Append(list, reflect.Zero(list.Type().Elem())), nil
	})
}

// Remove deletes the item at path ("categories[1].cookies[0]").
func Remove(p *consent.Portal, path string) error {
	open := strings.LastIndexByte(path, '[')
	if open < 0 || !strings.HasSuffix(path, "]") {
		return fmt.Errorf("%s: not a list item", path)
	}
	i, err := strconv.Atoi(path[open+1 : len(path)-1])
	if err != nil {
		return fmt.Errorf("%s: not a list item", path)
	}
	return editList(p, path[:open], func(list reflect.Value) (reflect.Value, error) {
		if i < 0 || i >= list.Len() {
			return list, fmt.Errorf("%s: no item %d", path, i)
		}
		out := reflect.MakeSlice(list.Type(), 0, list.Len()-1)
		out = reflect.AppendSlice(out, list.Slice(0, i))
		return reflect.AppendSlice(out, list.Slice(i+1, list.Len())), nil
	})
}

func editList(p *consent.Portal, path string, edit func(reflect.Value) (reflect.Value, error)) error {
	steps, err := parsePath(path)
	if err != nil {
		return err
	}
	v := reflect.ValueOf(p).Elem()
	for _, s := range steps {
		for v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		switch {
		case s.index >= 0 && v.Kind() == reflect.Slice && s.index < v.Len():
			v = v.Index(s.index)
		case s.index < 0 && v.Kind() == reflect.Struct:
			f, ok := field(v, s.name)
			if !ok {
				return fmt.Errorf("%s: no field %q", path, s.name)
			}
			v = f
		case s.index < 0 && v.Kind() == reflect.Map && v.Type().Elem().Kind() == reflect.Pointer:
			v = v.MapIndex(reflect.ValueOf(s.name))
			if !v.IsValid() || v.IsNil() {
				return fmt.Errorf("%s: no %q", path, s.name)
			}
		default:
			return fmt.Errorf("%s: cannot follow %q", path, s.name)
		}
	}
	if v.Kind() != reflect.Slice {
		return fmt.Errorf("%s: not a list", path)
	}
	out, err := edit(v)
	if err != nil {
		return err
	}
	v.Set(out)
	return nil
}

// SetLanguages sets p's languages from their input ("fr, en"): a language
// added gets empty texts, which the validator then asks for; the texts of a
// language removed go, in every field, so that nothing is left that the
// validator would refuse as "not in languages".
func SetLanguages(p *consent.Portal, value string) {
	p.Languages = SplitList("languages", value)
	if p.Texts == nil {
		p.Texts = map[string]*consent.Texts{}
	}
	for _, lang := range p.Languages {
		if p.Texts[lang] == nil {
			p.Texts[lang] = &consent.Texts{}
		}
	}
	prune(reflect.ValueOf(p).Elem(), p.Languages)
}

// prune deletes, in every Localized and in Texts, the languages not kept.
func prune(v reflect.Value, keep []string) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			prune(v.Elem(), keep)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			prune(v.Field(i), keep)
		}
	case reflect.Slice:
		for i := range v.Len() {
			prune(v.Index(i), keep)
		}
	case reflect.Map:
		if v.Type() == reflect.TypeFor[consent.Localized]() || v.Type() == reflect.TypeFor[map[string]*consent.Texts]() {
			for _, k := range v.MapKeys() {
				if !slices.Contains(keep, k.String()) {
					v.SetMapIndex(k, reflect.Value{})
				}
			}
		}
	}
}

// Clone returns a deep copy of p, as the JSON the host reads: what the
// validator checks (it fills defaults in) and what is downloaded.
func Clone(p *consent.Portal) *consent.Portal {
	data, err := json.Marshal(p)
	if err != nil {
		panic(err) // a Portal always marshals
	}
	var c consent.Portal
	if err := json.Unmarshal(data, &c); err != nil {
		panic(err)
	}
	return &c
}

// Check validates a copy of p with the host's start-up validator. It
// returns the copy, with the defaults the validator fills in, and every
// field that is wrong, in the file's order: the first is the one the host
// would refuse to start with.
func Check(p *consent.Portal) (*consent.Portal, []*consent.ConfigError) {
	checked := Clone(p)
	return checked, checked.Problems()
}

// Download returns the configuration file for p: the JSON the host
// accepts at start-up, indented like the built-in ones.
func Download(p *consent.Portal) []byte {
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(data, '\n')
}
