package server

import (
	"regexp"
	"strings"
)

var (
	cssComments = regexp.MustCompile(`(?s)/\*.*?\*/`)
	cssSpaces   = regexp.MustCompile(`\s*([{};,>])\s*`)
	jsComment   = regexp.MustCompile(`(?m)\A\s*/\*(?s:.*?)\*/\s*|^[ \t]*//[^\n]*\n`)
)

// minifyCSS drops comments and the spaces around punctuation: the embed
// script carries the stylesheet, and each byte there delays the banner.
func minifyCSS(css string) string {
	css = cssComments.ReplaceAllString(css, "")
	css = cssSpaces.ReplaceAllString(css, "$1")
	return strings.Join(strings.Fields(css), " ")
}

// stripComments drops the embed script's leading comment block and its
// whole-line comments; the code itself is left as written.
func stripComments(js []byte) []byte {
	return jsComment.ReplaceAll(js, nil)
}
