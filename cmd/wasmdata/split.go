package main

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
)

// More sections of a module (the WebAssembly core specification, 5.5).
const (
	typeSection     = 1
	importSection   = 2
	functionSection = 3
	exportSection   = 7
	codeSection     = 10
)

// InitDataExport is the name of the function splitData adds: called with k,
// it copies the data's piece k into the memory and returns 1, or returns 0
// when there is no piece k. The loader calls it for 0, 1, 2… before Go's
// run, in tasks of its own on the page (web/src/gostart.js).
const InitDataExport = "initData"

// splitData returns module with its active data segments made passive, cut
// in pieces of at most pieceSize bytes, and a function exported as
// InitDataExport that initializes them one by one, and how many pieces
// there are. An active segment is copied into the memory as the module is
// instantiated, in that one task: for the client's 3.1 MB of data, most of
// the instantiation, 41 to 61 ms on the benchmark's phone
// (docs/performance.md).
func splitData(module []byte, pieceSize int) (out []byte, pieces int, err error) {
	sections, err := readSections(module)
	if err != nil {
		return nil, 0, err
	}
	data, code, functions := sectionIndex(sections, dataSection), sectionIndex(sections, codeSection), sectionIndex(sections, functionSection)
	types, imports, exports := sectionIndex(sections, typeSection), sectionIndex(sections, importSection), sectionIndex(sections, exportSection)
	if data < 0 || code < 0 || functions < 0 || types < 0 || imports < 0 || exports < 0 {
		return nil, 0, errors.New("no data, code, function, export, type or import section")
	}
	segments, err := readSegments(sections[data].body)
	if err != nil {
		return nil, 0, err
	}
	var cut []segment
	for _, s := range segments {
		for at := 0; at < len(s.data); at += pieceSize {
			cut = append(cut, segment{offset: s.offset + uint64(at), data: s.data[at:min(at+pieceSize, len(s.data))]})
		}
	}

	// The function's type, (i32) -> i32, which Go's own functions have.
	typeIndex, typesBody, err := functionType(sections[types].body)
	if err != nil {
		return nil, 0, err
	}
	sections[types].body = typesBody
	imported, err := importedFunctions(sections[imports].body)
	if err != nil {
		return nil, 0, err
	}
	defined, body, err := appendToVector(sections[functions].body, appendUint(nil, typeIndex))
	if err != nil {
		return nil, 0, err
	}
	sections[functions].body = body
	export := appendUint(nil, uint64(len(InitDataExport)))
	export = append(export, InitDataExport...)
	export = append(append(export, 0), appendUint(nil, imported+defined)...)
	if _, sections[exports].body, err = appendToVector(sections[exports].body, export); err != nil {
		return nil, 0, err
	}
	fn := initDataBody(cut)
	if _, sections[code].body, err = appendToVector(sections[code].body, append(appendUint(nil, uint64(len(fn))), fn...)); err != nil {
		return nil, 0, err
	}
	passive := appendUint(nil, uint64(len(cut)))
	for _, s := range cut {
		passive = append(passive, 1)
		passive = appendUint(passive, uint64(len(s.data)))
		passive = append(passive, s.data...)
	}
	sections[data].body = passive
	// memory.init needs the data count section, just before the code.
	count := section{id: dataCountSection, body: appendUint(nil, uint64(len(cut)))}
	if i := sectionIndex(sections, dataCountSection); i >= 0 {
		sections[i] = count
	} else {
		sections = slices.Insert(sections, code, count)
	}

	return writeModule(module[:8], sections), len(cut), nil
}

// initDataBody is the code of InitDataExport: for each piece k, if the
// argument is k, copy it to its offset, drop it (the engine may free it)
// and return 1; else return 0.
func initDataBody(pieces []segment) []byte {
	body := []byte{0} // no locals
	for k, s := range pieces {
		body = append(body, 0x20, 0, 0x41) // local.get 0, i32.const k
		body = appendInt(body, int64(k))
		body = append(body, 0x46, 0x04, 0x40, 0x41) // i32.eq, if, i32.const offset
		body = appendInt(body, int64(s.offset))
		body = append(body, 0x41, 0, 0x41) // i32.const 0, i32.const length
		body = appendInt(body, int64(len(s.data)))
		body = append(body, 0xfc, 8) // memory.init k, memory 0
		body = appendUint(body, uint64(k))
		body = append(body, 0, 0xfc, 9) // data.drop k
		body = appendUint(body, uint64(k))
		body = append(body, 0x41, 1, 0x0f, 0x0b) // i32.const 1, return, end
	}
	return append(body, 0x41, 0, 0x0b) // i32.const 0, end
}

// functionType returns the index of the type (i32) -> i32 in the type
// section's body, appending it when there is none.
func functionType(body []byte) (uint64, []byte, error) {
	want := []byte{0x60, 1, 0x7f, 1, 0x7f}
	r := &reader{b: body}
	n := r.uint()
	for i := uint64(0); i < n && r.err == nil; i++ {
		start := r.at
		if r.byte() != 0x60 {
			return 0, nil, fmt.Errorf("type %d is not a function type", i)
		}
		r.at += int(r.uint())
		r.at += int(r.uint())
		if r.at <= len(body) && bytes.Equal(body[start:r.at], want) {
			return i, body, nil
		}
	}
	if r.err != nil || r.at != len(body) {
		return 0, nil, errors.New("the type section is malformed")
	}
	_, body, err := appendToVector(body, want)
	return n, body, err
}

// importedFunctions counts the functions the import section's body
// imports: the module's own functions are numbered after them. Go's
// modules import functions only.
func importedFunctions(body []byte) (uint64, error) {
	r := &reader{b: body}
	n := r.uint()
	for i := uint64(0); i < n && r.err == nil; i++ {
		r.at += int(r.uint()) // module
		r.at += int(r.uint()) // name
		if kind := r.byte(); kind != 0 {
			return 0, fmt.Errorf("import %d is not a function", i)
		}
		r.uint()
	}
	if r.err != nil || r.at != len(body) {
		return 0, errors.New("the import section is malformed")
	}
	return n, nil
}

// readExportNames returns the names the module's export section exports
// (none when it has none).
func readExportNames(sections []section) ([]string, error) {
	i := sectionIndex(sections, exportSection)
	if i < 0 {
		return nil, nil
	}
	r := &reader{b: sections[i].body}
	n := r.uint()
	var names []string
	for j := uint64(0); j < n && r.err == nil; j++ {
		size := int(r.uint())
		if r.err != nil || r.at+size > len(r.b) {
			break
		}
		names = append(names, string(r.b[r.at:r.at+size]))
		r.at += size
		r.byte()
		r.uint()
	}
	if r.err != nil || r.at != len(r.b) {
		return nil, errors.New("the export section is malformed")
	}
	return names, nil
}

// appendToVector returns how many items the vector body held, and body
// with item appended and its count one more.
func appendToVector(body, item []byte) (uint64, []byte, error) {
	r := &reader{b: body}
	n := r.uint()
	if r.err != nil {
		return 0, nil, r.err
	}
	out := appendUint(nil, n+1)
	out = append(out, body[r.at:]...)
	return n, append(out, item...), nil
}
