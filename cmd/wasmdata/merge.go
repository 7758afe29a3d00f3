package main

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
)

// The sections of a module this rewrites (the WebAssembly core
// specification, 5.5): the data section, and the data count section, which
// must say as many segments.
const (
	dataSection      = 11
	dataCountSection = 12
)

// segment is an active data segment of memory 0 at a constant offset, the
// only kind Go's linker writes.
type segment struct {
	offset uint64
	data   []byte
}

// section is one section of a module: its id and its bytes.
type section struct {
	id   byte
	body []byte
}

// mergeDataSegments returns module with its data segments merged wherever
// the zeros between two of them are at most maxGap bytes, and how many
// segments there were before and after. Every other section is kept as it
// is, byte for byte. A module with a kind of segment Go does not write
// (passive, another memory, an offset that is not a constant) is an error:
// it is not a module this knows to rewrite.
func mergeDataSegments(module []byte, maxGap uint64) (out []byte, before, after int, err error) {
	if len(module) < 8 || !bytes.Equal(module[:4], []byte("\x00asm")) {
		return nil, 0, 0, errors.New("not a WebAssembly module")
	}
	sections, err := readSections(module)
	if err != nil {
		return nil, 0, 0, err
	}
	i := sectionIndex(sections, dataSection)
	if i < 0 {
		return nil, 0, 0, errors.New("no data section")
	}
	segments, err := readSegments(sections[i].body)
	if err != nil {
		return nil, 0, 0, err
	}
	merged, err := merge(segments, maxGap)
	if err != nil {
		return nil, 0, 0, err
	}
	for i, s := range sections {
		switch s.id {
		case dataSection:
			sections[i].body = writeSegments(merged)
		case dataCountSection:
			sections[i].body = appendUint(nil, uint64(len(merged)))
		}
	}
	return writeModule(module[:8], sections), len(segments), len(merged), nil
}

func readSections(module []byte) ([]section, error) {
	var sections []section
	r := &reader{b: module, at: 8}
	for r.at < len(module) {
		id := r.byte()
		size := r.uint()
		if r.err != nil || uint64(len(module)-r.at) < size {
			return nil, fmt.Errorf("section at byte %d: truncated", r.at)
		}
		sections = append(sections, section{id: id, body: module[r.at : r.at+int(size)]})
		r.at += int(size)
	}
	return sections, nil
}

// writeModule returns the module of header (its magic number and version)
// and sections, in that order.
func writeModule(header []byte, sections []section) []byte {
	out := slices.Clone(header)
	for _, s := range sections {
		out = append(out, s.id)
		out = appendUint(out, uint64(len(s.body)))
		out = append(out, s.body...)
	}
	return out
}

// sectionIndex is the index of the section with id in sections, -1 when
// there is none.
func sectionIndex(sections []section, id byte) int {
	return slices.IndexFunc(sections, func(s section) bool { return s.id == id })
}

func readSegments(body []byte) ([]segment, error) {
	r := &reader{b: body}
	n := r.uint()
	// A segment takes a few bytes at least: a count beyond the section's
	// length is not worth allocating for.
	segments := make([]segment, 0, min(n, uint64(len(body))))
	for i := uint64(0); i < n && r.err == nil; i++ {
		// Flag 0: active, memory 0; then the offset, i32.const N end.
		if flag := r.uint(); flag != 0 {
			return nil, fmt.Errorf("data segment %d: kind %d, not an active segment of memory 0", i, flag)
		}
		if op := r.byte(); op != 0x41 {
			return nil, fmt.Errorf("data segment %d: its offset is not an i32.const", i)
		}
		offset := r.int()
		if end := r.byte(); end != 0x0b || offset < 0 {
			return nil, fmt.Errorf("data segment %d: its offset is not a constant", i)
		}
		size := r.uint()
		if r.err != nil || uint64(len(body)-r.at) < size {
			return nil, fmt.Errorf("data segment %d: truncated", i)
		}
		segments = append(segments, segment{offset: uint64(offset), data: body[r.at : r.at+int(size)]})
		r.at += int(size)
	}
	if r.err != nil || r.at != len(body) {
		return nil, errors.New("the data section is malformed")
	}
	return segments, nil
}

// merge joins the segments, in the order of their offsets, across gaps of
// at most maxGap zeros. Overlapping segments, which Go does not write,
// are an error: which would win is the order of initialization.
func merge(segments []segment, maxGap uint64) ([]segment, error) {
	segments = slices.Clone(segments)
	slices.SortStableFunc(segments, func(a, b segment) int {
		switch {
		case a.offset < b.offset:
			return -1
		case a.offset > b.offset:
			return 1
		}
		return 0
	})
	var merged []segment
	for _, s := range segments {
		if len(merged) == 0 {
			merged = append(merged, segment{offset: s.offset, data: slices.Clone(s.data)})
			continue
		}
		last := &merged[len(merged)-1]
		end := last.offset + uint64(len(last.data))
		switch {
		case s.offset < end:
			return nil, fmt.Errorf("data segments overlap at offset %d", s.offset)
		case s.offset-end <= maxGap:
			last.data = append(last.data, make([]byte, s.offset-end)...)
			last.data = append(last.data, s.data...)
		default:
			merged = append(merged, segment{offset: s.offset, data: slices.Clone(s.data)})
		}
	}
	return merged, nil
}

func writeSegments(segments []segment) []byte {
	body := appendUint(nil, uint64(len(segments)))
	for _, s := range segments {
		body = append(body, 0, 0x41)
		body = appendInt(body, int64(s.offset))
		body = append(body, 0x0b)
		body = appendUint(body, uint64(len(s.data)))
		body = append(body, s.data...)
	}
	return body
}

// reader reads a module's bytes and LEB128 numbers; the first error sticks.
type reader struct {
	b   []byte
	at  int
	err error
}

func (r *reader) byte() byte {
	if r.at >= len(r.b) {
		r.err = errors.New("unexpected end")
		return 0
	}
	r.at++
	return r.b[r.at-1]
}

func (r *reader) uint() uint64 {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		c := r.byte()
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
	}
	r.err = errors.New("a number too long")
	return 0
}

func (r *reader) int() int64 {
	var v int64
	shift := 0
	for shift < 64 {
		c := r.byte()
		v |= int64(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v
		}
	}
	r.err = errors.New("a number too long")
	return 0
}

func appendUint(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}

func appendInt(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
