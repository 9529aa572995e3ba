package datasets

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/rivulet-ml/rivulet/lib/progress"
)

// defaultHTTPClient bounds connection set-up so an unreachable host fails in
// seconds rather than hanging; the body itself may take as long as the
// context allows (the archive is large).
func defaultHTTPClient() *http.Client {
	d := &net.Dialer{Timeout: 15 * time.Second}
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           d.DialContext,
		TLSHandshakeTimeout:   15 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
	}}
}

// download fetches url into a temporary file inside dir (so the final rename
// stays on one file system) and returns its path. The body must be complete:
// a short read against Content-Length is an error. The caller removes the
// file.
func download(ctx context.Context, client *http.Client, url, dir string, rep progress.Reporter) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	f, err := os.CreateTemp(dir, ".download-*.tar.gz")
	if err != nil {
		return "", err
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	label := "Downloading " + url
	if resp.ContentLength > 0 {
		label += fmt.Sprintf(" (%.2f MB)", float64(resp.ContentLength)/(1<<20))
	}
	rep.Start(label, resp.ContentLength)
	n, err := io.Copy(f, &countingReader{r: resp.Body, rep: rep})
	rep.Done()
	if err != nil {
		return "", fmt.Errorf("GET %s: after %d bytes: %w", url, n, err)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return "", fmt.Errorf("GET %s: got %d of %d bytes", url, n, resp.ContentLength)
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	ok = true
	return f.Name(), nil
}

type countingReader struct {
	r   io.Reader
	rep progress.Reporter
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.rep.Add(int64(n))
	}
	return n, err
}

// installArchive extracts a .tar.gz into a temporary directory inside root,
// checks that it holds folder/sentinel, and renames folder into root. A
// failure at any step leaves root as it was: a reader never sees a
// half-extracted folder.
//
// Verification: gzip checks its CRC-32 and length trailer at EOF, the tar
// reader rejects a truncated archive, and every member must be a plain file
// or directory with a relative path inside the archive (no links, no "..").
func installArchive(archive, root, folder, sentinel string, rep progress.Reporter) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(root, ".extract-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	rep.Start("Uncompressing into "+root, st.Size())
	err = extractTarGz(&countingReader{r: f, rep: rep}, tmp)
	rep.Done()
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(tmp, folder, sentinel)); err != nil {
		return fmt.Errorf("the archive does not hold %s/%s", folder, sentinel)
	}
	dst := filepath.Join(root, folder)
	if err := os.Rename(filepath.Join(tmp, folder), dst); err != nil {
		// Another process may have installed it meanwhile.
		if _, serr := os.Stat(filepath.Join(dst, sentinel)); serr == nil {
			return nil
		}
		return err
	}
	return nil
}

func extractTarGz(r io.Reader, dst string) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("not a gzip file: %w", err)
	}
	tr := tar.NewReader(zr)
	members := 0
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("the archive is damaged: %w", err)
		}
		name, err := safeMemberPath(h.Name)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, filepath.FromSlash(name))
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			if err := writeMember(target, tr, h.Size); err != nil {
				return fmt.Errorf("%s: %w", h.Name, err)
			}
		case tar.TypeXGlobalHeader:
			continue
		default:
			return fmt.Errorf("tar member %q has type %q; only files and directories are accepted", h.Name, h.Typeflag)
		}
		members++
	}
	// Drain to the gzip trailer so its checksum is verified even if the tar
	// stream ended early.
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return fmt.Errorf("the archive is damaged: %w", err)
	}
	if err := zr.Close(); err != nil {
		return fmt.Errorf("the archive is damaged: %w", err)
	}
	if members == 0 {
		return errors.New("the archive is empty")
	}
	return nil
}

func safeMemberPath(name string) (string, error) {
	clean := path.Clean(strings.TrimPrefix(name, "./"))
	if name == "" || path.IsAbs(name) || clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(name, `\`) {
		return "", fmt.Errorf("tar member %q: unsafe path", name)
	}
	return clean, nil
}

func writeMember(target string, r io.Reader, size int64) error {
	f, err := os.OpenFile(target, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return errors.New("duplicate member")
		}
		return err
	}
	n, err := io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if n != size {
		return fmt.Errorf("wrote %d of %d bytes", n, size)
	}
	return nil
}
