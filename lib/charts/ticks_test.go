package charts

import "testing"

func TestLogTicksNarrowRangeGetsLabels(t *testing.T) {
	got := LogTicks{}.Ticks(0.02, 0.3)
	var labels []string
	for _, tk := range got {
		labels = append(labels, tk.Label)
	}
	want := []string{"0.02", "0.05", "0.1", "0.2"}
	if len(labels) != len(want) {
		t.Fatalf("labels %v, want %v", labels, want)
	}
	for i := range want {
		if labels[i] != want[i] {
			t.Fatalf("labels %v, want %v", labels, want)
		}
	}
}

func TestLogTicksWideRangeOnlyPowersOfTen(t *testing.T) {
	for _, tk := range (LogTicks{}).Ticks(1, 1e6) {
		if tk.Label != "" && tk.Label[0] != '1' {
			t.Fatalf("wide range labelled %q; want powers of ten only", tk.Label)
		}
	}
}
