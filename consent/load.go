package consent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// Parse decodes and validates one portal configuration. name is the file name
// used in errors. Unknown fields are errors, so that a typo never silently
// drops a text.
func Parse(name string, data []byte) (*Portal, error) {
	p, err := DecodePortal(name, data)
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		var ve *ConfigError
		if errors.As(err, &ve) {
			ve.File = name
			if validLang(first(p.Languages)) {
				ve.Lang = p.Languages[0]
			}
		}
		return nil, err
	}
	return p, nil
}

// DecodePortal is Parse without the validation, for a caller that validates in a
// step of its own (the WebAssembly client, which cuts its start into short
// tasks).
func DecodePortal(name string, data []byte) (*Portal, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Portal
	if err := dec.Decode(&p); err != nil {
		ce := describeJSONError(data, err)
		ce.File = name
		return nil, ce
	}
	if _, err := dec.Token(); err != io.EOF {
		ce := problem("", "unexpected data after the configuration object")
		ce.File = name
		return nil, ce
	}
	return &p, nil
}

// describeJSONError says where data is not a configuration's JSON.
func describeJSONError(data []byte, err error) *ConfigError {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		line, col := position(data, syntax.Offset)
		return problem("", "invalid JSON at line %d, column %d: %v", line, col, syntax)
	case errors.As(err, &typ):
		line, col := position(data, typ.Offset)
		return problem("", "%s: expected %s, got a JSON %s (line %d, column %d)", typ.Field, typ.Type, typ.Value, line, col)
	case errors.Is(err, io.EOF):
		return problem("", "empty file")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return problem("", "truncated JSON")
	}
	return problem("", "%v", err)
}

func position(data []byte, offset int64) (line, col int) {
	offset = min(offset, int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// LoadFile reads one configuration file.
func LoadFile(path string) (*Portal, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Load reads a configuration file, or every *.json file of a directory, and
// refuses two portals with the same id, or a portal whose texts name
// another (CheckTogether).
func Load(path string) ([]*Portal, error) {
	portals, _, err := LoadFiles(path)
	return portals, err
}

// LoadFiles is Load, and also returns the file each portal came from, for
// the checks a caller makes of its own.
func LoadFiles(path string) ([]*Portal, []string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	files := []string{path}
	if info.IsDir() {
		if files, err = filepath.Glob(filepath.Join(path, "*.json")); err != nil {
			return nil, nil, err
		}
		if len(files) == 0 {
			return nil, nil, fmt.Errorf("%s: no *.json portal configuration in this directory", path)
		}
		sort.Strings(files)
	}
	var portals []*Portal
	seen := map[string]string{}
	for _, f := range files {
		p, err := LoadFile(f)
		if err != nil {
			return nil, nil, err
		}
		if other, dup := seen[p.ID]; dup {
			ce := problem("id", "portal %q is already defined in %s", p.ID, other)
			ce.File, ce.Lang = f, p.Languages[0]
			return nil, nil, ce
		}
		seen[p.ID] = f
		portals = append(portals, p)
	}
	if err := CheckTogether(portals, files); err != nil {
		return nil, nil, err
	}
	return portals, files, nil
}
