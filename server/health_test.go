package server_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/opendata-consent/consent/receipts"
	"github.com/opendata-consent/consent/server"
)

// /healthz answers while the host serves; /readyz also says whether the
// receipts it is given are written. Neither is kept by a cache.
func TestReadyzReportsReceiptsThatCannotBeWritten(t *testing.T) {
	db := filepath.Join(t.TempDir(), "receipts.db")
	srv, _, pau := newHostAt(t, db, server.Options{ReceiptRate: 1000})
	direct, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	// The store starts refusing writes, as a disk turned read-only would.
	refuse := func(on bool) {
		t.Helper()
		statement := "DROP TRIGGER refuse_writes"
		if on {
			statement = "CREATE TRIGGER refuse_writes BEFORE INSERT ON receipts BEGIN SELECT RAISE(ABORT, 'attempt to write a readonly database'); END"
		}
		if _, err := direct.Exec(statement); err != nil {
			t.Fatal(err)
		}
	}
	probe := func(path string, want int) string {
		t.Helper()
		res, body := get(t, srv.URL+path)
		if res.StatusCode != want || res.Header.Get("Cache-Control") != "no-store" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: %d %q, headers %v; want %d", path, res.StatusCode, body, res.Header, want)
		}
		return body
	}
	probe("/readyz", 200)

	refuse(true)
	if status, msg, _ := post(t, srv.URL, pauOrigin, receiptBody(t, pau, nil)); status != http.StatusInternalServerError {
		t.Fatalf("a receipt the store refuses: %d %q", status, msg)
	}
	if body := probe("/readyz", 503); !strings.HasPrefix(body, "receipts cannot be written since ") || strings.Contains(body, db) {
		t.Errorf("/readyz: %q, want the reason, without the file's path", body)
	}
	probe("/healthz", 200)

	// Writes work again: a receipt written says so.
	refuse(false)
	if status, msg, _ := post(t, srv.URL, pauOrigin, receiptBody(t, pau, nil)); status != http.StatusNoContent {
		t.Fatalf("a receipt once the store writes again: %d %q", status, msg)
	}
	probe("/readyz", 200)

	// Out of service, the host gets no receipt: /readyz tries a write
	// itself.
	refuse(true)
	post(t, srv.URL, pauOrigin, receiptBody(t, pau, nil))
	refuse(false)
	probe("/readyz", 200)
}

// waitReadyz asks /readyz until it answers want, for 3 s at most (it
// checks the store once a second at most while it is healthy), and
// returns what it said.
func waitReadyz(t *testing.T, url string, want int) string {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		res, body := get(t, url+"/readyz")
		if res.StatusCode == want {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz: %d %q for 3 s, want %d", res.StatusCode, body, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// smallDisk mounts a tmpfs of size bytes for the test and returns its
// folder: a disk the test can fill. Mounting needs root, which CI has; a
// developer's machine without it skips the test, CI never does.
func smallDisk(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	if err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).Run(); err != nil {
		if os.Getenv("CI") == "" && os.Geteuid() != 0 {
			t.Skipf("mounting a small disk needs root: %v", err)
		}
		t.Fatalf("mounting a small disk: %v", err)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// fill writes a file of n bytes in dir, and returns its path.
func fill(t *testing.T, dir string, n int64) string {
	t.Helper()
	f, err := os.CreateTemp(dir, "filler")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 1<<16)
	for n > 0 {
		w, err := f.Write(chunk[:min(n, int64(len(chunk)))])
		n -= int64(w)
		if err != nil {
			break // the disk is full: as far as it goes
		}
	}
	return f.Name()
}

// freeOn returns the free bytes of the filesystem holding dir.
func freeOn(t *testing.T, dir string) int64 {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	return int64(st.Bavail) * st.Bsize
}

// logCount counts the lines of log that hold msg.
func logCount(log *syncBuffer, msg string) int { return strings.Count(log.String(), msg) }

// A disk that fills up takes the host out of service before receipts fail
// (under receipts.MinFreeDisk free), every receipt it cannot keep is
// answered 500, never 204, and every 204 is a receipt kept; the log says
// each change once, however many receipts fail. Freed, the disk puts the
// host back in service.
func TestReadyzSeesAFullDisk(t *testing.T) {
	disk := smallDisk(t, receipts.MinFreeDisk+8<<20)
	log := &syncBuffer{}
	srv, store, pau := newHostAt(t, filepath.Join(disk, "receipts.db"), server.Options{ReceiptRate: 1e6, Log: slog.New(slog.NewTextHandler(log, nil))})
	readyz := func(want int) string { t.Helper(); return waitReadyz(t, srv.URL, want) }
	readyz(200)

	// Under the free space kept, the host says so before any write fails.
	filler := fill(t, disk, freeOn(t, disk)-receipts.MinFreeDisk+1<<20)
	if body := readyz(503); !strings.Contains(body, "the disk holding the receipts has") || strings.Contains(body, disk) {
		t.Errorf("/readyz on a nearly full disk: %q, want the free space, without the path", body)
	}
	// Full: receipts fail, and none is acknowledged unless it is kept.
	full := fill(t, disk, freeOn(t, disk))
	acknowledged, failed := 0, 0
	for range 300 {
		switch status, msg, _ := post(t, srv.URL, pauOrigin, receiptBody(t, pau, nil)); status {
		case http.StatusNoContent:
			acknowledged++
		case http.StatusInternalServerError:
			failed++
		default:
			t.Fatalf("a receipt on a full disk: %d %q", status, msg)
		}
	}
	if failed == 0 {
		t.Fatalf("300 receipts on a full disk: all acknowledged, the test filled nothing")
	}
	if n := logCount(log, "receipts cannot be written"); n != 1 {
		t.Errorf("%d receipts failed, the log says it %d times, want once:\n%s", failed, n, log.String())
	}
	os.Remove(full)
	os.Remove(filler)
	readyz(200)
	if n := logCount(log, "receipts are written again"); n != 1 {
		t.Errorf("the log says the store is back %d times, want once", n)
	}
	if kept, err := store.Count(context.Background()); err != nil || kept != acknowledged {
		t.Errorf("%d receipts acknowledged, %d kept (%v)", acknowledged, kept, err)
	}
}

// A store file deleted or replaced while the host runs would take the
// receipts written to it along: none is acknowledged, and /readyz says
// why at once.
func TestReadyzSeesTheStoreFileDeletedOrReplaced(t *testing.T) {
	for name, change := range map[string]func(db string) error{
		"deleted": os.Remove,
		"replaced": func(db string) error {
			if err := os.Rename(db, db+".old"); err != nil {
				return err
			}
			return os.WriteFile(db, nil, 0o600)
		},
	} {
		t.Run(name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "receipts.db")
			log := &syncBuffer{}
			srv, _, pau := newHostAt(t, db, server.Options{ReceiptRate: 1e6, Log: slog.New(slog.NewTextHandler(log, nil))})
			if status, msg, _ := post(t, srv.URL, pauOrigin, receiptBody(t, pau, nil)); status != http.StatusNoContent {
				t.Fatalf("a receipt: %d %q", status, msg)
			}
			if err := change(db); err != nil {
				t.Fatal(err)
			}
			// Each receipt twice: the page sends again one answered 500,
			// and finding it in the lost file is no reason to acknowledge it.
			for range 3 {
				body := receiptBody(t, pau, nil)
				for try := range 2 {
					if status, msg, _ := post(t, srv.URL, pauOrigin, body); status != http.StatusInternalServerError {
						t.Errorf("a receipt once the file is %s, try %d: %d %q, want 500", name, try+1, status, msg)
					}
				}
			}
			if body := waitReadyz(t, srv.URL, http.StatusServiceUnavailable); !strings.Contains(body, "deleted or replaced") || strings.Contains(body, db) {
				t.Errorf("/readyz once the file is %s: %q", name, body)
			}
			if n := logCount(log, "receipts cannot be written"); n != 1 {
				t.Errorf("the log says it %d times, want once", n)
			}
		})
	}
}

// syncBuffer is a log the host writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
