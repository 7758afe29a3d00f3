package server

import "testing"

func TestDarkRulesLeaveTheMediaQueryOut(t *testing.T) {
	css := []byte(`#cb-root{--cb-surface:#fff}@media (prefers-color-scheme:dark){#cb-root{--cb-surface:#1c1f24}}` +
		`@media (max-width:600px){#cb-root .cb-btn{flex-basis:100%}}` +
		"@media (prefers-color-scheme: dark) {\n  div.cb-placeholder { color: #f1f3f5; }\n  div.cb-placeholder .why { color: #c9ced6; }\n}")
	want := "#cb-root{--cb-surface:#1c1f24}\ndiv.cb-placeholder { color: #f1f3f5; }\n  div.cb-placeholder .why { color: #c9ced6; }\n"
	if got := string(darkRules(css)); got != want {
		t.Errorf("darkRules = %q, want %q", got, want)
	}
}
