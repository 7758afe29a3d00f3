package main

import "testing"

func TestOnlyTheFuzzersOwnTimeOutRaceIsRunAgain(t *testing.T) {
	for _, c := range []struct {
		name, output string
		race         bool
	}{
		{"the race at the end of the time", "fuzz: elapsed: 6s, execs: 92171 (0/sec), new interesting: 28 (total: 41)\n--- FAIL: FuzzDecode (6.03s)\n    context deadline exceeded\nFAIL\n", true},
		{"a failing input found", "--- FAIL: FuzzDecode (0.12s)\n    --- FAIL: FuzzDecode (0.00s)\n        cookie_test.go:80: round trip changed the choice\n    Failing input written to testdata/fuzz/FuzzDecode/0123456789abcdef\n    To re-run:\n    go test -run=FuzzDecode/0123456789abcdef\nFAIL\n", false},
		{"a found input whose own code timed out", "--- FAIL: FuzzParse (3.00s)\n    context deadline exceeded\n    Failing input written to testdata/fuzz/FuzzParse/fedcba9876543210\nFAIL\n", false},
		{"a build failure", "consent/cookie.go:12:2: undefined: x\nFAIL\tgithub.com/opendata-consent/consent/consent [build failed]\n", false},
	} {
		if got := deadlineRace(c.output); got != c.race {
			t.Errorf("%s: deadlineRace = %v, want %v", c.name, got, c.race)
		}
	}
}
