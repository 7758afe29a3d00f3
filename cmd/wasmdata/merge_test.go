package main

import (
	"bytes"
	"strings"
	"testing"
)

// module builds a module of the given sections.
func module(sections ...section) []byte {
	return writeModule([]byte("\x00asm\x01\x00\x00\x00"), sections)
}

// image is the initial memory the module's data section writes.
func image(t *testing.T, m []byte) []byte {
	t.Helper()
	sections, err := readSections(m)
	if err != nil {
		t.Fatal(err)
	}
	var mem []byte
	for _, s := range sections {
		if s.id != dataSection {
			continue
		}
		segments, err := readSegments(s.body)
		if err != nil {
			t.Fatal(err)
		}
		for _, seg := range segments {
			if end := int(seg.offset) + len(seg.data); end > len(mem) {
				mem = append(mem, make([]byte, end-len(mem))...)
			}
			copy(mem[seg.offset:], seg.data)
		}
	}
	return mem
}

func TestMergeKeepsTheMemoryAndEverythingElse(t *testing.T) {
	types := section{1, []byte{1, 0x60, 0, 0}}
	code := section{10, []byte{0}}
	// Out of order, as nothing says they must be in order; the last one
	// beyond the largest gap merged.
	data := writeSegments([]segment{{20, []byte("cd")}, {16, []byte("ab")}, {16 + 6 + 70000, []byte("ef")}, {300, []byte("g")}})
	in := module(types, section{dataCountSection, appendUint(nil, 4)}, code, section{dataSection, data})
	out, before, after, err := mergeDataSegments(in, 64<<10)
	if err != nil {
		t.Fatal(err)
	}
	if before != 4 || after != 2 {
		t.Errorf("%d segments merged into %d, want 4 into 2", before, after)
	}
	if !bytes.Equal(image(t, in), image(t, out)) {
		t.Error("the merged segments write another initial memory")
	}
	sections, err := readSections(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(sections) != 4 || !bytes.Equal(sections[0].body, types.body) || !bytes.Equal(sections[2].body, code.body) {
		t.Errorf("the other sections changed: %v", sections)
	}
	if count := (&reader{b: sections[1].body}).uint(); count != 2 {
		t.Errorf("the data count section says %d segments, want 2", count)
	}
}

func TestMergeRefusesWhatGoDoesNotWrite(t *testing.T) {
	passive := append(appendUint(nil, 1), 1, 2, 'h', 'i')
	overlapping := writeSegments([]segment{{16, []byte("abcd")}, {18, []byte("x")}})
	for name, c := range map[string]struct {
		module []byte
		want   string
	}{
		"not a module":         {[]byte("<html>"), "not a WebAssembly module"},
		"no data":              {module(section{1, []byte{0}}), "no data section"},
		"a passive segment":    {module(section{dataSection, passive}), "not an active segment"},
		"overlapping segments": {module(section{dataSection, overlapping}), "overlap"},
		"a truncated section":  {module(section{dataSection, overlapping})[:20], "truncated"},
	} {
		if _, _, _, err := mergeDataSegments(c.module, 64<<10); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", name, err, c.want)
		}
	}
}
