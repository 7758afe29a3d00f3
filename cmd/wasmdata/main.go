// Command wasmdata rewrites, in place, each WebAssembly module given with
// its data segments merged: Go's linker writes the initial memory as one
// segment per run of non-zero bytes (71,221 segments for the client), and
// the browser initializes them one by one as it instantiates the module,
// on the page's main thread. Merged across gaps of zeros of at most 64 KiB
// (the memory starts zeroed, so the image is the same), they are one:
// instantiating was twice as fast (V8, measured with Node 20), and the
// module 79 KB smaller with brotli (each segment's offset and length were
// bytes that do not compress). The Makefile runs it after building each
// client, before precompressing it.
package main

import (
	"fmt"
	"os"
)

// maxGap is the longest run of zeros a merged segment carries between
// two of the linker's.
const maxGap = 64 << 10

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: wasmdata FILE.wasm...")
		os.Exit(2)
	}
	for _, name := range os.Args[1:] {
		if err := rewrite(name); err != nil {
			fmt.Fprintf(os.Stderr, "wasmdata: %s: %v\n", name, err)
			os.Exit(1)
		}
	}
}

func rewrite(name string) error {
	module, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	merged, before, after, err := mergeDataSegments(module, maxGap)
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d data segments merged into %d\n", name, before, after)
	return os.WriteFile(name, merged, 0o644)
}
