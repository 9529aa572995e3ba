package datasets

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// urlArchive builds a small url_svmlight.tar.gz in the real layout. Day
// files are written out of numeric order (Day10 before Day2) so the test
// sees the difference between numeric and lexical sorting. Day d holds
// records labelled ±1 whose feature 1 is d*100+line.
func urlArchive(t testing.TB, days []int, linesPerDay int, extra ...*tar.Header) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(tw.WriteHeader(&tar.Header{Name: "url_svmlight/", Typeflag: tar.TypeDir, Mode: 0o755}))
	add := func(name, body string) {
		must(tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body))}))
		_, err := tw.Write([]byte(body))
		must(err)
	}
	add("url_svmlight/FeatureTypes", "4\n5\n6\n")
	for _, d := range days {
		var b strings.Builder
		for l := 1; l <= linesPerDay; l++ {
			label := "-1"
			if l%3 == 0 {
				label = "+1"
			}
			fmt.Fprintf(&b, "%s 1:%d 7:0.25 %d:1\n", label, d*100+l, 1000+d)
		}
		add(fmt.Sprintf("url_svmlight/Day%d.svm", d), b.String())
	}
	for _, h := range extra {
		must(tw.WriteHeader(h))
	}
	must(tw.Close())
	must(zw.Close())
	return buf.Bytes()
}

type archiveServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits int
}

func serveArchive(t *testing.T, body []byte, status int) *archiveServer {
	s := &archiveServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits++
		s.mu.Unlock()
		if status != http.StatusOK {
			http.Error(w, "nope", status)
			return
		}
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

type recordingReporter struct {
	mu     sync.Mutex
	labels []string
	added  int64
}

func (r *recordingReporter) Start(label string, total int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.labels = append(r.labels, label)
}
func (r *recordingReporter) Add(n int64)     { r.mu.Lock(); r.added += n; r.mu.Unlock() }
func (r *recordingReporter) Describe(string) {}
func (r *recordingReporter) Done()           {}

func firstFeatures(t *testing.T, it *SVMLightIter) []float64 {
	t.Helper()
	defer it.Close()
	var out []float64
	for it.Next() {
		v, _ := it.X().Get(1)
		out = append(out, v)
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMaliciousURLDownloadExtractAndTake(t *testing.T) {
	body := urlArchive(t, []int{0, 1, 10, 2}, 3)
	srv := serveArchive(t, body, http.StatusOK)
	dir := t.TempDir()
	rep := &recordingReporter{}
	m := NewMaliciousURL(WithDataDir(dir), WithArchiveURL(srv.URL+"/url_svmlight.tar.gz"), WithProgress(rep))
	if m.Available() {
		t.Fatal("available before download")
	}
	ctx := context.Background()
	it, err := m.Take(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	// Day0, Day1, then Day2 (numeric order), restarting at Day0 on each Take.
	want := []float64{1, 2, 3, 101, 102, 103, 201}
	for pass := range 2 {
		got := firstFeatures(t, it)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("pass %d: got %v, want %v", pass, got, want)
		}
		if it, err = m.Take(ctx, 7); err != nil {
			t.Fatal(err)
		}
	}
	all, err := m.Files(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range all.Paths() {
		names = append(names, filepath.Base(p))
	}
	if strings.Join(names, ",") != "Day0.svm,Day1.svm,Day2.svm,Day10.svm" {
		t.Errorf("day order %v", names)
	}
	if n, err := all.Count(); err != nil || n != 12 {
		t.Errorf("count %d, %v", n, err)
	}
	if srv.hits != 1 {
		t.Errorf("%d downloads, want 1 (the second use must find the files)", srv.hits)
	}
	if rep.added < int64(len(body)) || len(rep.labels) != 2 || !strings.HasPrefix(rep.labels[0], "Downloading ") || !strings.HasPrefix(rep.labels[1], "Uncompressing into ") {
		t.Errorf("progress: labels %q, %d bytes", rep.labels, rep.added)
	}
	// Nothing but the extracted folder is left behind: no temp archive or dir.
	entries, _ := os.ReadDir(filepath.Join(dir, "MaliciousURL"))
	if len(entries) != 1 || entries[0].Name() != "url_svmlight" {
		t.Errorf("left in data dir: %v", entries)
	}
}

func TestMaliciousURLBadArchivesLeaveNothing(t *testing.T) {
	good := urlArchive(t, []int{0}, 2)
	cases := map[string][]byte{
		"truncated":    good[:len(good)-12],
		"not gzip":     []byte("<html>captive portal</html>"),
		"no Day0":      urlArchive(t, []int{1}, 2),
		"path escape":  urlArchive(t, []int{0}, 1, &tar.Header{Name: "../evil", Typeflag: tar.TypeReg}),
		"symlink":      urlArchive(t, []int{0}, 1, &tar.Header{Name: "url_svmlight/l", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"}),
		"corrupt tail": append(append([]byte{}, good[:len(good)-8]...), 1, 2, 3, 4, 5, 6, 7, 8),
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			srv := serveArchive(t, body, http.StatusOK)
			dir := t.TempDir()
			m := NewMaliciousURL(WithDataDir(dir), WithArchiveURL(srv.URL))
			if _, err := m.Files(context.Background()); err == nil {
				t.Fatal("no error")
			} else {
				t.Log(err)
			}
			entries, _ := os.ReadDir(filepath.Join(dir, "MaliciousURL"))
			if len(entries) != 0 {
				t.Errorf("left behind: %v", entries)
			}
			if m.Available() {
				t.Error("reported available")
			}
		})
	}
}

func TestMaliciousURLOfflineMessage(t *testing.T) {
	srv := serveArchive(t, nil, http.StatusNotFound)
	dir := t.TempDir()
	m := NewMaliciousURL(WithDataDir(dir), WithArchiveURL(srv.URL+"/url_svmlight.tar.gz"))
	_, err := m.Take(context.Background(), 10)
	var missing *MissingDataError
	if !errors.As(err, &missing) {
		t.Fatalf("got %v, want a *MissingDataError", err)
	}
	msg := err.Error()
	for _, want := range []string{"404", filepath.Join(dir, "MaliciousURL", "url_svmlight.tar.gz"),
		filepath.Join(dir, "MaliciousURL", "url_svmlight"), "Day0.svm", DataEnv, "--data"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

func TestMaliciousURLPicksUpHandPlacedArchive(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "MaliciousURL")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "url_svmlight.tar.gz"), urlArchive(t, []int{0, 1}, 2), 0o644); err != nil {
		t.Fatal(err)
	}
	// An address nobody serves: the download must not be attempted.
	m := NewMaliciousURL(WithDataDir(dir), WithArchiveURL("http://127.0.0.1:1/none"))
	it, err := m.Take(context.Background(), -1)
	if err != nil {
		t.Fatal(err)
	}
	if got := firstFeatures(t, it); fmt.Sprint(got) != "[1 2 101 102]" {
		t.Errorf("got %v", got)
	}
}

func TestDataDirFromEnv(t *testing.T) {
	t.Setenv(DataEnv, "/some/where")
	d, err := DataDir()
	if err != nil || d != "/some/where" {
		t.Fatalf("DataDir() = %q, %v", d, err)
	}
	m := NewMaliciousURL()
	if dir, _ := m.Dir(); dir != filepath.Join("/some/where", "MaliciousURL", "url_svmlight") {
		t.Errorf("Dir() = %q", dir)
	}
}

func TestFromFilesReadsGzipAndNamesFile(t *testing.T) {
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("+1 1:1\n-1 1:2\n"))
	zw.Close()
	a := filepath.Join(dir, "a.svm.gz")
	b := filepath.Join(dir, "b.svm")
	os.WriteFile(a, gz.Bytes(), 0o644)
	os.WriteFile(b, []byte("+1 1:3\n-1 1:4 0:1\n"), 0o644)
	it := FromFiles(a, b).Iter()
	var got []float64
	for it.Next() {
		v, _ := it.X().Get(1)
		got = append(got, v)
	}
	if fmt.Sprint(got) != "[1 2 3]" {
		t.Errorf("got %v", got)
	}
	var se *SyntaxError
	if err := it.Err(); !errors.As(err, &se) || se.File != b || se.Line != 2 || se.Column != 8 {
		t.Errorf("err = %v, want %s:2:8", err, b)
	}
}
