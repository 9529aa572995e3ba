package throughput_test

import (
	"fmt"
	"os"
	"time"

	"github.com/rivulet-ml/rivulet/lib/throughput"
)

// The derived columns of the original's tables, from a mean time per
// record: here the seed README's HAT training row (1.82165 ms per record).
func ExampleStats() {
	s := throughput.Stats{Mean: 1821650 * time.Nanosecond}
	fmt.Printf("%.6g ms, %.6g s, %.6g min, %d records/s\n", s.MsPerRecord(), s.MillionRecordsSeconds(), s.MillionRecordsMinutes(), s.Throughput())
	// Output: 1.82165 ms, 1821.65 s, 30.3608 min, 549 records/s
}

// How many consumers, each with its own model, a target rate needs: the
// seed README's ARF ran predict-then-learn at 867 records/s per thread.
func ExampleConsumersNeeded() {
	n, err := throughput.ConsumersNeeded(10_000, 867, 0.9)
	if err != nil {
		panic(err)
	}
	fmt.Println(n, "consumers for 10,000 records/s at 90% utilisation")
	// Output: 13 consumers for 10,000 records/s at 90% utilisation
}

// The seed's published River figures as a Markdown table. The derived
// columns are recomputed from the published ms per record, so their sixth
// digit can differ from the README's (9.46697 here, 9.46696 there).
func ExamplePhaseTable() {
	t := throughput.PhaseTable(throughput.SeedREADME()[:2], throughput.Inference)
	t.Headers, t.Rows[0], t.Rows[1] = t.Headers[:6], t.Rows[0][:6], t.Rows[1][:6]
	if err := t.Markdown(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// #### Maximum sustainable throughput for inference
	//
	// | Classifier                      | Source                    | Expected Time(ms) Per Record | Expected Time Million Records (s) | Expected Time Million Records (mins) | Max Throughput (records/s, one thread) |
	// |:--------------------------------|:--------------------------|-----------------------------:|----------------------------------:|-------------------------------------:|---------------------------------------:|
	// | HoeffdingAdaptiveTreeClassifier | River, seed README (2023) |                     0.568018 |                           568.018 |                              9.46697 |                                   1761 |
	// | SRPClassifierHAT                | River, seed README (2023) |                      1.21962 |                           1219.62 |                               20.327 |                                    820 |
}

// A plan from the flags of `rivulet throughput` and notebook 05: two
// models, one with an extra parameter, each measured both ways. Its Run
// returns the rows, model by model.
func ExampleParsePlan() {
	plan, err := throughput.ParsePlan(1000, "hat,gaussian-nb", "both", "hat.grace_period=50")
	if err != nil {
		panic(err)
	}
	for _, m := range plan.Models {
		fmt.Printf("%s: %s\n", m.Classifier, m.Spec)
	}
	fmt.Println(plan.Methods, plan.N)
	// Output:
	// HoeffdingAdaptiveTreeClassifier: hat grace_period=100 delta=1e-5 leaf_prediction=nb nb_threshold=10 seed=0 grace_period=50
	// GaussianNB: gaussian-nb
	// [rivulet original] 1000
}
