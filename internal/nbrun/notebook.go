package nbrun

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Notebook is the part of an nbformat 4 notebook that the runner inspects.
// It is read-only: notebooks are written by Jupyter, never by this package.
type Notebook struct {
	Path        string       `json:"-"`
	Cells       []Cell       `json:"cells"`
	Metadata    NotebookMeta `json:"metadata"`
	Format      int          `json:"nbformat"`
	FormatMinor int          `json:"nbformat_minor"`
}

// NotebookMeta holds the notebook-level metadata the runner checks.
type NotebookMeta struct {
	KernelSpec struct {
		Name     string `json:"name"`
		Language string `json:"language"`
	} `json:"kernelspec"`
}

// Cell is one notebook cell.
type Cell struct {
	ID             string    `json:"id"`
	Type           string    `json:"cell_type"`
	Source         multiline `json:"source"`
	Outputs        []Output  `json:"outputs"`
	ExecutionCount *int      `json:"execution_count"`
}

// Output is one output of a code cell.
type Output struct {
	Type      string         `json:"output_type"` // stream, display_data, execute_result, error
	Name      string         `json:"name"`        // stream: stdout or stderr
	Text      multiline      `json:"text"`
	Data      map[string]any `json:"data"`
	EName     string         `json:"ename"`
	EValue    string         `json:"evalue"`
	Traceback []string       `json:"traceback"`
}

// multiline is nbformat's "multiline string": a string or a list of strings
// to be concatenated.
type multiline string

func (m *multiline) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*m = multiline(s)
		return nil
	}
	var parts []string
	if err := json.Unmarshal(b, &parts); err != nil {
		return fmt.Errorf("want a string or a list of strings, got %s", truncate(string(b), 40))
	}
	*m = multiline(strings.Join(parts, ""))
	return nil
}

// ReadNotebook parses the notebook at path.
func ReadNotebook(path string) (*Notebook, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseNotebook(path, b)
}

// ParseNotebook parses notebook JSON; path is only used in errors.
func ParseNotebook(path string, b []byte) (*Notebook, error) {
	var nb Notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		if se, ok := err.(*json.SyntaxError); ok {
			line, col := lineCol(b, se.Offset)
			return nil, fmt.Errorf("%s:%d:%d: not a notebook: %v", path, line, col, err)
		}
		return nil, fmt.Errorf("%s: not a notebook: %v", path, err)
	}
	if nb.Format != 4 {
		return nil, fmt.Errorf("%s: nbformat %d, want 4", path, nb.Format)
	}
	nb.Path = path
	return &nb, nil
}

// lineCol turns a byte offset into a 1-based line and column.
func lineCol(b []byte, offset int64) (line, col int) {
	if offset > int64(len(b)) {
		offset = int64(len(b))
	}
	line, col = 1, 1
	for _, c := range b[:offset] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// FirstLine returns the first non-blank line of the cell's source, trimmed
// and shortened to 80 characters, to name the cell in messages.
func (c *Cell) FirstLine() string {
	for _, l := range strings.Split(string(c.Source), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return truncate(l, 80)
		}
	}
	return "(empty)"
}

// stderr returns the concatenated stderr stream text of the cell.
func (c *Cell) stderr() string {
	var sb strings.Builder
	for _, o := range c.Outputs {
		if o.Type == "stream" && o.Name == "stderr" {
			sb.WriteString(string(o.Text))
		}
	}
	return sb.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

// tail keeps the last n bytes of s, cut at a line start where possible:
// the end of a log says why something failed.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[len(s)-n:]
	if i := strings.IndexByte(s, '\n'); i >= 0 && i < len(s)-1 {
		s = s[i+1:]
	}
	return "…\n" + s
}
