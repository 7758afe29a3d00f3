//go:build !js

package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestClientLinksNoServerOrRegexpCode checks what the shipped client is
// built from: go-app's HTTP handler (and with it net/http, crypto/tls) and
// the regexp package are left out by the patches in third_party/go-app, and
// nothing of this project may bring them back. go.mod replaces go-app by
// the patched copy (third_party/go-app/v10), for this go list as for the
// shipped build.
func TestClientLinksNoServerOrRegexpCode(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list named %d packages: %q", len(deps), deps)
	}
	for _, dep := range deps {
		switch dep {
		case "net/http", "crypto/tls", "regexp":
			t.Errorf("the WebAssembly client links %s (without third_party/go-app's patches, or a new import): 0.1 to 0.3 MB more for every visitor", dep)
		}
	}
}
