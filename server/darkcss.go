package server

import (
	"bytes"
	"regexp"
)

// darkMedia opens a block of dark rules, as esbuild writes it or by hand.
var darkMedia = regexp.MustCompile(`@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)\s*\{`)

// darkRules returns the rules of css's dark blocks, without the media
// query that holds them: a stylesheet that applies the dark theme
// whatever the reader's system prefers. The console's preview links it
// for "Thème : sombre", so the theme shown is the stylesheets' own, not a
// copy to keep in step.
func darkRules(css []byte) []byte {
	var out []byte
	for _, loc := range darkMedia.FindAllIndex(css, -1) {
		depth, start := 1, loc[1]
		for i := start; i < len(css); i++ {
			switch css[i] {
			case '{':
				depth++
			case '}':
				depth--
			}
			if depth == 0 {
				out = append(out, bytes.TrimSpace(css[start:i])...)
				out = append(out, '\n')
				break
			}
		}
	}
	return out
}
