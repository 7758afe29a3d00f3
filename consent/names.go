package consent

import "strings"

// The names a configuration gives (portal, category and service ids,
// languages, cookie names) are checked by hand rather than with regexp: the
// WebAssembly client validates its configuration too, and these few loops
// keep the regular-expression compiler out of it.

// validID reports whether s is 1 to 40 lower-case letters, digits, '-' or
// '_', starting with a letter.
func validID(s string) bool {
	if len(s) == 0 || len(s) > 40 || !isLower(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLower(c) && !isDigit(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// validLang reports whether s is a two- or three-letter lower-case
// language code (ISO 639).
func validLang(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for i := range len(s) {
		if !isLower(s[i]) {
			return false
		}
	}
	return true
}

// cookieNameSymbols are the characters besides letters and digits that
// RFC 6265 allows in a cookie name (a token).
const cookieNameSymbols = "!#$%&'*+-.^_`|~"

// validCookieName reports whether s is a cookie name as RFC 6265 allows it.
func validCookieName(s string) bool {
	if len(s) == 0 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !isLower(c) && !isDigit(c) && !('A' <= c && c <= 'Z') && !strings.ContainsRune(cookieNameSymbols, rune(c)) {
			return false
		}
	}
	return true
}

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
