package consent

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Every format the validator writes has its French translation, with the
// same verbs in the same order: a message added in English only fails
// here, not in front of a portal team using the console in French. The
// formats are read off the package's own sources (each call of problem,
// Problem and problems.add), so none is forgotten by a list kept by hand.
func TestEveryProblemHasItsFrenchTranslation(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	consts := map[string]string{}
	type call struct {
		*ast.CallExpr
		in string // the function it is written in
	}
	var calls []call
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		in := ""
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				in = n.Name.Name
			case *ast.ValueSpec:
				for i, id := range n.Names {
					if i < len(n.Values) {
						if lit, ok := n.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							consts[id.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			case *ast.CallExpr:
				calls = append(calls, call{n, in})
			}
			return true
		})
	}
	formats := 0
	for _, call := range calls {
		var name string
		switch fn := call.Fun.(type) {
		case *ast.Ident:
			name = fn.Name
		case *ast.SelectorExpr:
			name = fn.Sel.Name
		}
		if (name != "problem" && name != "Problem" && name != "add") || len(call.Args) < 2 {
			continue
		}
		var format string
		switch arg := call.Args[1].(type) {
		case *ast.BasicLit:
			format, _ = strconv.Unquote(arg.Value)
		case *ast.Ident:
			format = consts[arg.Name]
		}
		if format == "" {
			// The wrappers pass their caller's format on.
			if !slices.Contains([]string{"Problem", "add"}, call.in) {
				t.Errorf("%s: the format of %s is not a literal or a constant this test can read", fset.Position(call.Pos()), name)
			}
			continue
		}
		formats++
		fr, ok := french[format]
		switch {
		case !ok:
			t.Errorf("%s: no French for %q", fset.Position(call.Pos()), format)
		case !slices.Equal(verbs(fr), verbs(format)):
			t.Errorf("%q: the French %q has the verbs %v, not %v", format, fr, verbs(fr), verbs(format))
		}
	}
	if formats < 40 {
		t.Fatalf("found %d formats in the sources: the walk missed the validator's calls", formats)
	}
}

var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)

func verbs(format string) []string { return verb.FindAllString(format, -1) }

func TestConfigErrorSpeaksTheReadersLanguage(t *testing.T) {
	e := problem("lifetime.consentDays", "%d days: a choice is kept from 1 day to %d days (13 months, the CNIL's limit)", 400, MaxLifetimeDays)
	e.File = "rennes.json"
	if got, want := e.In("fr"), "rennes.json: lifetime.consentDays: 400 jours : un choix est conservé de 1 à 395 jours (13 mois, la limite de la CNIL)"; got != want {
		t.Errorf("In(fr) = %q, want %q", got, want)
	}
	if got, want := e.Error(), "rennes.json: lifetime.consentDays: 400 days: a choice is kept from 1 day to 395 days (13 months, the CNIL's limit)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := e.In("de"); got != e.Error() {
		t.Errorf("In(de) = %q, want the English %q", got, e.Error())
	}
}
