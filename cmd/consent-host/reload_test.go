package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// SIGHUP makes the host read its configuration again: a valid one is
// served at once, and the files a page loaded before names are still
// served; a broken one is refused, logged with its file and field, and the
// configuration in force kept.
func TestSIGHUPReloadsTheConfiguration(t *testing.T) {
	dir := t.TempDir()
	original, err := os.ReadFile("../../portals/pau.json")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "pau.json")
	write := func(data []byte) {
		t.Helper()
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(original)
	hangup := make(chan os.Signal, 1)
	url, log, stop := startHostWith(t, settings{config: dir, receipts: "off", shutdownTimeout: time.Second, reload: hangup})
	defer stop()
	fetch := func(path string) (int, string) {
		t.Helper()
		res, err := http.Get(url + "/" + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	loader := regexp.MustCompile(`assets/loader-pau\.[0-9a-f]{12}\.js`)
	_, embed := fetch("embed.js")
	oldLoader := loader.FindString(embed)

	var p map[string]any
	json.Unmarshal(original, &p)
	p["texts"].(map[string]any)["fr"].(map[string]any)["banner"].(map[string]any)["title"] = "Vos choix, sur Open Data Pau"
	changed, _ := json.MarshalIndent(p, "", "  ")
	write(changed)
	hangup <- syscall.SIGHUP
	deadline := time.Now().Add(5 * time.Second)
	for _, embed = fetch("embed.js"); !strings.Contains(embed, "Vos choix, sur Open Data Pau"); _, embed = fetch("embed.js") {
		if time.Now().After(deadline) {
			t.Fatalf("embed.js after SIGHUP lacks the new title; log:\n%s", log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if status, _ := fetch(oldLoader); status != http.StatusOK {
		t.Errorf("the loader named before the reload: %d", status)
	}
	if !strings.Contains(log.String(), "configuration reloaded") {
		t.Errorf("the log does not say the configuration was reloaded:\n%s", log.String())
	}

	write([]byte(strings.Replace(string(changed), `"consentDays": 182`, `"consentDays": 400`, 1)))
	hangup <- syscall.SIGHUP
	for deadline = time.Now().Add(5 * time.Second); !strings.Contains(log.String(), "reload refused"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("a broken configuration: no refusal in the log:\n%s", log.String())
		}
	}
	if !strings.Contains(log.String(), "pau.json: lifetime.consentDays") {
		t.Errorf("the refusal does not name the file and the field:\n%s", log.String())
	}
	if _, embed = fetch("embed.js"); !strings.Contains(embed, "Vos choix, sur Open Data Pau") {
		t.Error("after a refused reload, the configuration in force is gone")
	}
}
