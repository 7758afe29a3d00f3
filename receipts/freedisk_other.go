//go:build !(linux || darwin || freebsd)

package receipts

import "errors"

// freeDisk is not known on this system: Health relies on its trial write
// alone.
func freeDisk(string) (uint64, error) { return 0, errors.ErrUnsupported }
