package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// weight is the code of one group of packages in the WebAssembly client.
type weight struct {
	Group string `json:"group"`
	Bytes int    `json:"bytes"`
}

// wasmWeights is what the client is made of: its code by group of packages,
// and its data (type descriptors, function tables for tracebacks, strings).
type wasmWeights struct {
	Code      []weight `json:"code"`
	CodeBytes int      `json:"codeBytes"`
	DataBytes int      `json:"dataBytes"`
}

// groups maps the prefixes of function names in the WebAssembly name
// section (Go writes a package path with "_" for "/" and ".") to the groups
// docs/performance.md reports, first match wins.
var groups = []struct{ prefix, group string }{
	{"github.com_opendata_consent", "this project (model, components, bridge)"},
	{"github.com_maxence_charriere_go_app", "go-app"},
	{"github.com_google_uuid", "go-app's dependencies (uuid)"},
	{"encoding_json", "encoding/json"},
	{"regexp", "regexp"},
	{"reflect", "reflect"},
	{"fmt", "fmt"},
	{"time", "time"},
	{"crypto", "crypto (go-app's storage encryption, random ids)"},
	{"math_big", "crypto (go-app's storage encryption, random ids)"},
	{"runtime", "Go runtime"},
	{"internal_", "Go runtime"},
	{"sync", "Go runtime"},
	{"syscall", "syscall/js and syscall"},
	{"unicode", "unicode tables"},
}

// weighClient builds the client as `make build` does but keeps the function
// names, and sums the size of each function body by group.
func weighClient() (wasmWeights, error) {
	var w wasmWeights
	dir, err := os.MkdirTemp("", "consent-weight-")
	if err != nil {
		return w, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "client.wasm")
	// go.mod names the patched go-app (third_party/go-app/v10).
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, "./cmd/consent-wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return w, fmt.Errorf("building the client with its names: %v\n%s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return w, err
	}
	bodies, names, dataBytes, err := readWasm(data)
	if err != nil {
		return w, err
	}
	w.DataBytes = dataBytes
	byGroup := map[string]int{}
	for i, size := range bodies {
		group := "other standard library"
		for _, g := range groups {
			if strings.HasPrefix(names[i], g.prefix) {
				group = g.group
				break
			}
		}
		byGroup[group] += size
		w.CodeBytes += size
	}
	for group, size := range byGroup {
		w.Code = append(w.Code, weight{group, size})
	}
	slices.SortFunc(w.Code, func(a, b weight) int { return b.Bytes - a.Bytes })
	return w, nil
}

// readWasm returns the size of each function body (indexed like the name
// section: imported functions first), the function names, and the size of
// the data section.
func readWasm(b []byte) (bodies map[int]int, names map[int]string, dataBytes int, err error) {
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, nil, 0, errors.New("not a WebAssembly module")
	}
	bodies, names = map[int]int{}, map[int]string{}
	r := &reader{b: b, i: 8}
	imported := 0
	for r.i < len(b) && r.err == nil {
		id := r.byte()
		size := r.uint()
		section := &reader{b: r.bytes(size)}
		switch id {
		case 2: // imports: functions among them shift the indexes
			for n := section.uint(); n > 0 && section.err == nil; n-- {
				section.bytes(section.uint())
				section.bytes(section.uint())
				switch section.byte() {
				case 0:
					section.uint()
					imported++
				case 1:
					section.byte()
					section.limits()
				case 2:
					section.limits()
				case 3:
					section.bytes(2)
				}
			}
		case 10: // code
			n := section.uint()
			for k := 0; k < n && section.err == nil; k++ {
				size := section.uint()
				section.bytes(size)
				bodies[imported+k] = size
			}
		case 11:
			dataBytes = size
		case 0: // custom: the name section
			if string(section.bytes(section.uint())) != "name" {
				continue
			}
			for section.i < len(section.b) && section.err == nil {
				kind := section.byte()
				sub := &reader{b: section.bytes(section.uint())}
				if kind != 1 {
					continue
				}
				for n := sub.uint(); n > 0 && sub.err == nil; n-- {
					index := sub.uint()
					names[index] = string(sub.bytes(sub.uint()))
				}
			}
		}
	}
	return bodies, names, dataBytes, r.err
}

type reader struct {
	b   []byte
	i   int
	err error
}

func (r *reader) uint() int {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.i:])
	if n <= 0 {
		r.err = errors.New("truncated WebAssembly")
		return 0
	}
	r.i += n
	return int(v)
}

func (r *reader) byte() byte {
	if r.err != nil || r.i >= len(r.b) {
		r.err = errors.New("truncated WebAssembly")
		return 0
	}
	r.i++
	return r.b[r.i-1]
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil || r.i+n > len(r.b) {
		r.err = errors.New("truncated WebAssembly")
		return nil
	}
	r.i += n
	return r.b[r.i-n : r.i]
}

func (r *reader) limits() {
	if flags := r.uint(); flags&1 == 1 {
		r.uint()
		r.uint()
		return
	}
	r.uint()
}

// buildStep is one way of building the client and what it weighs.
type buildStep struct {
	Step   string `json:"step"`
	Raw    int    `json:"raw"`
	Brotli int    `json:"brotli"`
	Kept   bool   `json:"kept"`
}

// measureBuildSteps builds the client step by step, as the Makefile does,
// to show what each step buys; wasm-opt (Debian's binaryen) is measured when
// installed.
func measureBuildSteps() ([]buildStep, error) {
	dir, err := os.MkdirTemp("", "consent-steps-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	// go-app's patches (third_party/go-app) in two steps: first without its
	// router, then all of them, as every build has them (go.mod replaces
	// go-app by third_party/go-app/v10). The steps before build go-app as
	// published. scripts/go-app.sh -variant writes the go.mod of each.
	published := filepath.Join(dir, "published")
	withoutRouter := filepath.Join(dir, "without-router")
	for variant, patches := range map[string][]string{
		published:     nil,
		withoutRouter: {"third_party/go-app/html-attributes.patch", "third_party/go-app/no-http-handler.patch"},
	} {
		prepare := exec.Command("scripts/go-app.sh", append([]string{"-variant", variant}, patches...)...)
		if msg, err := prepare.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("scripts/go-app.sh: %v\n%s", err, msg)
		}
	}
	stripped := []string{"-trimpath", "-ldflags=-s -w"}
	var steps []buildStep
	for i, s := range []struct {
		name  string
		flags []string
		kept  bool
	}{
		{"go build, go-app as published", []string{"-modfile=" + filepath.Join(published, "go.mod")}, false},
		{"+ -trimpath -ldflags='-s -w'", append([]string{"-modfile=" + filepath.Join(published, "go.mod")}, stripped...), true},
		{"+ go-app's HTTP handler left out (third_party/go-app)", append([]string{"-modfile=" + filepath.Join(withoutRouter, "go.mod")}, stripped...), true},
		{"+ go-app's router without regular expressions (third_party/go-app)", stripped, true},
	} {
		out := filepath.Join(dir, fmt.Sprintf("step%d.wasm", i))
		cmd := exec.Command("go", append(append([]string{"build"}, s.flags...), "-o", out, "./cmd/consent-wasm")...)
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		if msg, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("%s: %v\n%s", s.name, err, msg)
		}
		step, err := weigh(s.name, out, s.kept)
		if err != nil {
			return nil, err
		}
		steps = append(steps, step)
	}
	// The data segments merged, as the Makefile does after go build.
	merged := filepath.Join(dir, "merged.wasm")
	last, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("step%d.wasm", len(steps)-1)))
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(merged, last, 0o644); err != nil {
		return nil, err
	}
	if msg, err := exec.Command("go", "run", "./cmd/wasmdata", merged).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("cmd/wasmdata: %v\n%s", err, msg)
	}
	step, err := weigh("+ its data segments merged (cmd/wasmdata)", merged, true)
	if err != nil {
		return nil, err
	}
	steps = append(steps, step)
	if _, err := exec.LookPath("wasm-opt"); err != nil {
		steps = append(steps, buildStep{Step: "+ wasm-opt -Oz: not measured, binaryen is not installed"})
		return steps, nil
	}
	opt := filepath.Join(dir, "opt.wasm")
	cmd := exec.Command("wasm-opt", "-Oz", "--enable-bulk-memory", "--enable-sign-ext", "--enable-nontrapping-float-to-int", merged, "-o", opt)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("wasm-opt: %v\n%s", err, msg)
	}
	step, err = weigh("+ wasm-opt -Oz (binaryen)", opt, false)
	return append(steps, step), err
}

func weigh(name, path string, kept bool) (buildStep, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return buildStep{}, err
	}
	return buildStep{Step: name, Raw: len(data), Brotli: brotliSize(data), Kept: kept}, nil
}
