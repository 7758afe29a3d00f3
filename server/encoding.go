package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
)

// identity is the coding of a body sent as it is.
const identity = "identity"

// codings are those every asset comes in, best first: brotli is smaller
// than gzip, either smaller than the file itself.
var codings = []string{"br", "gzip", identity}

// implicitWeight is what identity weighs when Accept-Encoding neither names
// it nor has "*": acceptable, but after any coding the client names (the
// lowest weight a client can write is 0.001).
const implicitWeight = 0.0001

// negotiateEncoding picks the coding of a response for the request's
// Accept-Encoding (RFC 9110, section 12.5.3): the coding of highest weight,
// brotli before gzip before identity on a tie. A coding the header does
// not name weighs what "*" weighs, nothing when there is no "*"; identity
// stays acceptable unless refused ("identity;q=0", or "*;q=0" without
// identity). With no Accept-Encoding, or an empty one, it is identity.
// ok is false when the header refuses every coding.
func negotiateEncoding(header string) (coding string, ok bool) {
	weights := map[string]float64{}
	for _, element := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(element, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "x-gzip" {
			name = "gzip" // RFC 9110, section 8.4.1.3
		}
		q, valid := weight(params)
		if name == "" || !valid {
			continue
		}
		weights[name] = q
	}
	best := 0.0
	for _, c := range codings {
		q, named := weights[c]
		if !named {
			q, named = weights["*"]
		}
		if !named && c == identity {
			q = implicitWeight
		}
		if q > best {
			coding, best = c, q
		}
	}
	return coding, best > 0
}

// weight reads an element's parameters, ";q=0.5": its weight, 1 without
// one. The parameter's name is case-insensitive and its value is read as a
// number, so that "Q=0", "q=0.0" and "q = 0.000" all refuse the coding.
// valid is false for a weight that is not a number from 0 to 1: the element
// is then ignored.
func weight(params string) (q float64, valid bool) {
	q = 1
	for param := range strings.SplitSeq(params, ";") {
		name, value, _ := strings.Cut(param, "=")
		if !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil || !(v >= 0 && v <= 1) {
			return 0, false
		}
		q = v
	}
	return q, true
}

// compress returns data in coding: brotli or gzip at their default levels,
// which a response made on request can afford (newAsset takes the best
// for the files it prepares once), or data itself for any other coding.
func compress(coding string, data []byte) []byte {
	var b bytes.Buffer
	var w io.WriteCloser
	switch coding {
	case "br":
		w = brotli.NewWriterLevel(&b, brotli.DefaultCompression)
	case "gzip":
		w = gzip.NewWriter(&b)
	default:
		return data
	}
	w.Write(data)
	w.Close()
	return b.Bytes()
}
