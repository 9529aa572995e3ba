package urls

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rivulet-ml/rivulet/lib/datasets"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/progress"
)

// SampleRelPath is where the repository's sibling shared/ folder keeps the
// 2000-record MaliciousURL excerpt, relative to the repository root.
const SampleRelPath = "../shared/data/malicious-url/sample-2000.svm"

// OpenData resolves a --data value to svmlight files:
//
//   - "" is River's MaliciousURL data set, downloaded on first use (with
//     progress on rep) into $RIVULET_DATA or the user cache dir;
//   - a file is read as is (.gz is decompressed);
//   - a directory is read in River's day order when it holds Day<N>.svm
//     files, otherwise every *.svm and *.svm.gz file in name order.
//
// The description names what was opened, for logs and notebooks.
func OpenData(ctx context.Context, spec string, rep progress.Reporter) (files *datasets.SVMLightFiles, description string, err error) {
	if spec == "" {
		m := datasets.NewMaliciousURL(datasets.WithProgress(rep))
		f, err := m.Files(ctx)
		if err != nil {
			return nil, "", err
		}
		dir, _ := m.Dir()
		return f, fmt.Sprintf("MaliciousURL (%d day files in %s)", len(f.Paths()), dir), nil
	}
	st, err := os.Stat(spec)
	if err != nil {
		return nil, "", fmt.Errorf("urls: data %s: %w", spec, err)
	}
	if !st.IsDir() {
		return datasets.FromFiles(spec), spec, nil
	}
	days, err := filepath.Glob(filepath.Join(spec, "Day*.svm"))
	if err != nil {
		return nil, "", err
	}
	if len(days) > 0 {
		sort.Slice(days, func(i, j int) bool { return dayNumber(days[i]) < dayNumber(days[j]) })
		return datasets.FromFiles(days...), fmt.Sprintf("%d day files in %s", len(days), spec), nil
	}
	var paths []string
	entries, err := os.ReadDir(spec)
	if err != nil {
		return nil, "", err
	}
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && (strings.HasSuffix(n, ".svm") || strings.HasSuffix(n, ".svm.gz")) {
			paths = append(paths, filepath.Join(spec, n))
		}
	}
	if len(paths) == 0 {
		return nil, "", fmt.Errorf("urls: data directory %s holds no .svm files", spec)
	}
	return datasets.FromFiles(paths...), fmt.Sprintf("%d svmlight files in %s", len(paths), spec), nil
}

func dayNumber(path string) int {
	var n int
	fmt.Sscanf(strings.TrimPrefix(filepath.Base(path), "Day"), "%d", &n)
	return n
}

// NotebookData picks the data a notebook streams when its --data flag is
// empty: the full MaliciousURL set when it is already on disk, otherwise the
// 2000-record excerpt at <repo>/../shared/data/malicious-url/sample-2000.svm
// (repoRoot is the notebook folder's parent). It returns the --data value to
// use, the max_size that fits it (the original's 5000 with the full set, all
// 2000 records of the excerpt: no record is sent twice) and a sentence
// saying which was chosen and why.
func NotebookData(repoRoot string) (spec string, maxSize int, note string, err error) {
	if datasets.NewMaliciousURL().Available() {
		return "", DefaultMaxSize, "Streaming River's MaliciousURL data set (found on disk), max_size 5000 as the original.", nil
	}
	sample := filepath.Join(repoRoot, SampleRelPath)
	if _, err := os.Stat(sample); err != nil {
		dir, _ := datasets.NewMaliciousURL().Dir()
		return "", 0, "", fmt.Errorf("no MaliciousURL data: neither the full set (%s/Day0.svm …) nor the excerpt %s exists; "+
			"put url_svmlight.tar.gz in %s, set %s, or pass --data FILE", dir, sample, filepath.Dir(dir), datasets.DataEnv)
	}
	n, err := datasets.FromFiles(sample).Count()
	if err != nil {
		return "", 0, "", err
	}
	return sample, min(DefaultMaxSize, n), fmt.Sprintf(
		"The full MaliciousURL set is not on disk (it cannot be downloaded here), so this streams the %d-record excerpt %s: "+
			"max_size = min(5000, %d) = %d distinct records instead of the original's 5000 (no record is sent twice).",
		n, sample, n, min(DefaultMaxSize, n)), nil
}

// ResolveData turns a notebook's --data and --max-size flags into what to
// stream: an empty spec picks the data as NotebookData does (repoRoot is
// the notebook folder's parent), a given one is used as is with the
// original's max_size of 5000; a positive maxSize overrides either. The
// note says which data was chosen, for the notebook to show.
func ResolveData(repoRoot, spec string, maxSize int) (resolved string, size int, note string, err error) {
	if spec == "" {
		resolved, size, note, err = NotebookData(repoRoot)
		if err != nil {
			return "", 0, "", err
		}
	} else {
		resolved, size, note = spec, DefaultMaxSize, fmt.Sprintf("Streaming %s, as asked with --data.", spec)
	}
	if maxSize > 0 {
		size = maxSize
	}
	return resolved, size, note, nil
}

// Record returns record n (1-based) of files and its label: the original's
// REST test payload was record 5 of Day0.
func Record(files *datasets.SVMLightFiles, n int) (x feature.Vector, y bool, err error) {
	if n < 1 {
		return feature.Vector{}, false, fmt.Errorf("urls: record %d: records are numbered from 1", n)
	}
	it := files.Take(n)
	defer it.Close()
	read := 0
	for it.Next() {
		read++
		x, y = it.X(), it.Y()
	}
	if err := it.Err(); err != nil {
		return feature.Vector{}, false, err
	}
	if read < n {
		return feature.Vector{}, false, fmt.Errorf("urls: record %d: the data holds only %d records", n, read)
	}
	return x.Clone(), y, nil
}
