package datasets

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/rivulet-ml/rivulet/lib/progress"
)

// Facts about River's datasets.MaliciousURL.
const (
	// MaliciousURLAddress is the official archive River downloads (~234 MB).
	MaliciousURLAddress = "http://www.sysnet.ucsd.edu/projects/url/url_svmlight.tar.gz"
	// MaliciousURLSamples and MaliciousURLFeatures are River's n_samples and
	// n_features.
	MaliciousURLSamples  = 2_396_130
	MaliciousURLFeatures = 3_231_961
	// maliciousURLFolder is the directory inside the archive (River's
	// filename) that holds Day0.svm … Day120.svm and FeatureTypes.
	maliciousURLFolder = "url_svmlight"
)

// DataEnv names the environment variable that overrides the data directory
// (River's RIVER_DATA).
const DataEnv = "RIVULET_DATA"

// DataDir returns the directory downloaded data sets live under:
// $RIVULET_DATA, or <user cache dir>/rivulet.
func DataDir() (string, error) {
	if d := strings.TrimSpace(os.Getenv(DataEnv)); d != "" {
		return d, nil
	}
	c, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("datasets: no data directory: set %s (%w)", DataEnv, err)
	}
	return filepath.Join(c, "rivulet"), nil
}

// MaliciousURL is River's MaliciousURL data set: the URL reputation records
// of Ma et al. (ICML 2009), stored as <data dir>/MaliciousURL/url_svmlight/
// Day0.svm … Day120.svm (River's ~/river_data/MaliciousURL layout) and read
// in day order. Labels are +1 (malicious, y=true) and -1 (benign).
//
// The archive is downloaded on first use. On a machine that cannot reach the
// official host the error says where to put the files instead.
type MaliciousURL struct {
	root     string // data dir; "" means DataDir()
	url      string
	client   *http.Client
	progress progress.Reporter
}

// MaliciousURLOption configures a MaliciousURL.
type MaliciousURLOption func(*MaliciousURL)

// WithDataDir sets the data directory (default DataDir()).
func WithDataDir(dir string) MaliciousURLOption { return func(m *MaliciousURL) { m.root = dir } }

// WithArchiveURL replaces the official archive address (tests, mirrors).
func WithArchiveURL(u string) MaliciousURLOption { return func(m *MaliciousURL) { m.url = u } }

// WithHTTPClient sets the client used to download the archive.
func WithHTTPClient(c *http.Client) MaliciousURLOption {
	return func(m *MaliciousURL) { m.client = c }
}

// WithProgress reports download and extraction progress to r.
func WithProgress(r progress.Reporter) MaliciousURLOption {
	return func(m *MaliciousURL) { m.progress = r }
}

// NewMaliciousURL returns the data set. Nothing is read or downloaded until
// Files, Take or Download is called.
func NewMaliciousURL(opts ...MaliciousURLOption) *MaliciousURL {
	m := &MaliciousURL{url: MaliciousURLAddress}
	for _, o := range opts {
		o(m)
	}
	return m
}

// Root returns <data dir>/MaliciousURL, the directory the archive is
// downloaded into.
func (m *MaliciousURL) Root() (string, error) {
	root := m.root
	if root == "" {
		d, err := DataDir()
		if err != nil {
			return "", err
		}
		root = d
	}
	return filepath.Join(root, "MaliciousURL"), nil
}

// Dir returns the directory that holds (or will hold) the Day files.
func (m *MaliciousURL) Dir() (string, error) {
	r, err := m.Root()
	if err != nil {
		return "", err
	}
	return filepath.Join(r, maliciousURLFolder), nil
}

// Available reports whether the Day files are present, without downloading.
func (m *MaliciousURL) Available() bool {
	dir, err := m.Dir()
	if err != nil {
		return false
	}
	days, err := dayFiles(dir)
	return err == nil && len(days) > 0
}

// Download makes sure the Day files are present: it does nothing when they
// are, extracts url_svmlight.tar.gz when the archive was put in Root by hand,
// and otherwise downloads it.
func (m *MaliciousURL) Download(ctx context.Context) error {
	if m.Available() {
		return nil
	}
	root, err := m.Root()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return fmt.Errorf("datasets: MaliciousURL: %w", err)
	}
	rep := progress.Nop(m.progress)
	local := filepath.Join(root, maliciousURLFolder+".tar.gz")
	if _, err := os.Stat(local); err == nil {
		if err := installArchive(local, root, maliciousURLFolder, "Day0.svm", rep); err != nil {
			return fmt.Errorf("datasets: MaliciousURL: extracting %s: %w", local, err)
		}
		return nil
	}
	client := m.client
	if client == nil {
		client = defaultHTTPClient()
	}
	archive, err := download(ctx, client, m.url, root, rep)
	if err != nil {
		return &MissingDataError{Name: "MaliciousURL", URL: m.url, Dir: filepath.Join(root, maliciousURLFolder), Archive: local, Err: err}
	}
	defer os.Remove(archive)
	if err := installArchive(archive, root, maliciousURLFolder, "Day0.svm", rep); err != nil {
		return fmt.Errorf("datasets: MaliciousURL: archive from %s: %w", m.url, err)
	}
	return nil
}

// Files downloads the data set if needed and returns its Day files in day
// order (Day0, Day1, …, Day120: numeric, not lexical, order, as River sorts).
func (m *MaliciousURL) Files(ctx context.Context) (*SVMLightFiles, error) {
	if err := m.Download(ctx); err != nil {
		return nil, err
	}
	dir, err := m.Dir()
	if err != nil {
		return nil, err
	}
	days, err := dayFiles(dir)
	if err != nil {
		return nil, err
	}
	if len(days) == 0 {
		return nil, fmt.Errorf("datasets: MaliciousURL: no Day*.svm files in %s", dir)
	}
	return FromFiles(days...), nil
}

// Take returns an iterator over the first n records, starting at Day0 line 1
// on every call (River's take). A negative n means every record.
func (m *MaliciousURL) Take(ctx context.Context, n int) (*SVMLightIter, error) {
	f, err := m.Files(ctx)
	if err != nil {
		return nil, err
	}
	return f.Take(n), nil
}

// dayFiles lists dir/Day<N>.svm sorted by N.
func dayFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	type day struct {
		n    int
		path string
	}
	var days []day
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasPrefix(name, "Day") || !strings.HasSuffix(name, ".svm") {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(name, "Day"), ".svm"))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("datasets: MaliciousURL: unexpected file %s in %s (want Day<N>.svm)", name, dir)
		}
		days = append(days, day{n, filepath.Join(dir, name)})
	}
	sort.Slice(days, func(i, j int) bool { return days[i].n < days[j].n })
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = d.path
	}
	return out, nil
}

// MissingDataError says a data set is not on disk and could not be
// downloaded, and how to provide it by hand.
type MissingDataError struct {
	Name    string
	URL     string
	Dir     string // where the extracted files belong
	Archive string // where a hand-downloaded archive is picked up
	Err     error
}

func (e *MissingDataError) Error() string {
	return fmt.Sprintf("datasets: %s is not downloaded and fetching %s failed: %v\n"+
		"  To provide it by hand, either put the archive at %s,\n"+
		"  or extract it so that %s holds Day0.svm … Day120.svm.\n"+
		"  Set %s to use another data directory, or read svmlight files directly\n"+
		"  (rivulet: --data FILE|DIR, e.g. ../shared/data/malicious-url/sample-2000.svm).",
		e.Name, e.URL, e.Err, e.Archive, e.Dir, DataEnv)
}

func (e *MissingDataError) Unwrap() error { return e.Err }
