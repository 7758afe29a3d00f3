//go:build linux || darwin || freebsd

package receipts

import (
	"path/filepath"
	"syscall"
)

// freeDisk returns the space an unprivileged writer may still use on the
// filesystem holding file.
func freeDisk(file string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(file), &st); err != nil {
		return 0, err
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil
}
