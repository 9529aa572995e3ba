package jsonfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRoundTripAndErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.json")
	type rec struct {
		A int
		B []float64
	}
	if err := Save(path, rec{3, []float64{1.5, -2}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("temporary file left behind: %v", err)
	}
	var got rec
	if err := Load(path, &got, "the measuring cell"); err != nil || got.A != 3 || len(got.B) != 2 || got.B[1] != -2 {
		t.Fatalf("Load: %+v, %v", got, err)
	}
	err := Load(filepath.Join(dir, "none.json"), &got, "the measuring cell")
	if err == nil || !strings.Contains(err.Error(), "none.json does not exist (run the measuring cell first)") {
		t.Errorf("missing file: %v", err)
	}
	if err := os.WriteFile(path, []byte("{\"A\": "), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Load(path, &got, "x"); err == nil || !strings.Contains(err.Error(), "r.json") {
		t.Errorf("truncated file: %v, want an error naming the file", err)
	}
	if err := Save(path, func() {}); err == nil {
		t.Error("saving a function succeeded")
	}
}
