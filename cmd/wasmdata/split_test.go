package main

import (
	"bytes"
	"testing"
)

// What initData does, read back from its code: for each piece, in the
// order of the calls, its offset and length; the pieces, read from the
// passive segments of the same index, must write the initial memory the
// active segments wrote. The function is the module's next one, typed
// (i32) -> i32 and exported as initData, and the data count says as many
// segments: a module that breaks either fails to validate in the browser.
func TestSplitCopiesTheSameMemoryPieceByPiece(t *testing.T) {
	types := section{typeSection, []byte{1, 0x60, 0, 0}}
	imports := section{importSection, []byte{1, 2, 'g', 'o', 1, 'f', 0, 0}}
	functions := section{functionSection, []byte{1, 0}}
	exports := section{exportSection, []byte{1, 3, 'r', 'u', 'n', 0, 1}}
	code := section{codeSection, []byte{1, 2, 0, 0x0b}}
	in := module(types, imports, functions, exports, code, section{dataSection, writeSegments([]segment{{16, []byte("abcdefg")}, {300, []byte("hi")}})})
	out, pieces, err := splitData(in, 3)
	if err != nil {
		t.Fatal(err)
	}
	if pieces != 4 {
		t.Fatalf("%d pieces, want 4 (abc def g hi)", pieces)
	}
	sections, err := readSections(out)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[byte][]byte{}
	var order []byte
	for _, s := range sections {
		byID[s.id], order = s.body, append(order, s.id)
	}
	if !bytes.Equal(order, []byte{typeSection, importSection, functionSection, exportSection, dataCountSection, codeSection, dataSection}) {
		t.Errorf("sections in the order %v", order)
	}
	if !bytes.Equal(byID[typeSection], []byte{2, 0x60, 0, 0, 0x60, 1, 0x7f, 1, 0x7f}) || !bytes.Equal(byID[functionSection], []byte{2, 0, 1}) {
		t.Errorf("types %v, functions %v: want (i32) -> i32 added, and the function typed so", byID[typeSection], byID[functionSection])
	}
	if want := []byte{2, 3, 'r', 'u', 'n', 0, 1, 8, 'i', 'n', 'i', 't', 'D', 'a', 't', 'a', 0, 2}; !bytes.Equal(byID[exportSection], want) {
		t.Errorf("exports %v, want initData as function 2 (after one import and one function)", byID[exportSection])
	}
	if count := (&reader{b: byID[dataCountSection]}).uint(); count != 4 {
		t.Errorf("the data count section says %d, want 4", count)
	}

	// The passive segments, then initData's code, piece by piece.
	data := &reader{b: byID[dataSection]}
	var passive [][]byte
	for n := data.uint(); uint64(len(passive)) < n; {
		if flag := data.uint(); flag != 1 {
			t.Fatalf("segment %d is not passive", len(passive))
		}
		size := int(data.uint())
		passive = append(passive, data.b[data.at:data.at+size])
		data.at += size
	}
	body := &reader{b: byID[codeSection]}
	body.uint()                 // two functions
	body.at += int(body.uint()) // the module's own
	body.uint()                 // initData's size
	var memory []byte
	if locals := body.uint(); locals != 0 {
		t.Fatalf("initData has %d locals", locals)
	}
	for k := int64(0); k < int64(pieces); k++ {
		var offset, length int64
		ok := body.byte() == 0x20 && body.byte() == 0 && body.byte() == 0x41 && body.int() == k &&
			body.byte() == 0x46 && body.byte() == 0x04 && body.byte() == 0x40 &&
			body.byte() == 0x41 && func() bool { offset = body.int(); return true }() &&
			body.byte() == 0x41 && body.byte() == 0 && body.byte() == 0x41 && func() bool { length = body.int(); return true }() &&
			body.byte() == 0xfc && body.uint() == 8 && body.uint() == uint64(k) && body.byte() == 0 &&
			body.byte() == 0xfc && body.uint() == 9 && body.uint() == uint64(k) &&
			body.byte() == 0x41 && body.byte() == 1 && body.byte() == 0x0f && body.byte() == 0x0b
		if !ok || int(length) != len(passive[k]) {
			t.Fatalf("piece %d: initData's code is not memory.init %d at its offset, then data.drop, return 1", k, k)
		}
		if end := int(offset) + int(length); end > len(memory) {
			memory = append(memory, make([]byte, end-len(memory))...)
		}
		copy(memory[offset:], passive[k])
	}
	if rest := body.b[body.at:]; !bytes.Equal(rest, []byte{0x41, 0, 0x0b}) {
		t.Errorf("after the last piece initData does %v, want return 0", rest)
	}
	if !bytes.Equal(memory, image(t, in)) {
		t.Errorf("the pieces write %q, want %q", memory, image(t, in))
	}
}
