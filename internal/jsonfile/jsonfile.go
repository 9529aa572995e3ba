// Package jsonfile hands values from one notebook cell (or command) to the
// next through JSON files. GoNB runs every cell as its own program, so a
// cell that measures something saves its result for the cells that
// tabulate and plot it.
package jsonfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

// Save writes v to path as JSON. It writes a temporary file beside path
// and renames it into place, so that a reader never sees half a file.
func Save(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Load reads the JSON in path into v. writer names what writes the file,
// for the error a missing file gives ("the serving cell" gives "… does not
// exist (run the serving cell first)").
func Load(path string, v any, writer string) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s does not exist (run %s first)", path, writer)
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
