package linearmodel

import (
	"math"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// The golden values below were produced with River 0.26.1 by
// /tmp/h7/glm_golden.py (reproduced in the comments): the streams are built
// from CPython's random.Random, which pyrand reproduces bit for bit, so both
// sides see identical records.

type regRecord struct {
	x feature.Vector
	y float64
}

// regStream mirrors glm_golden.py's stream(seed, n, d, sparse):
//
//	for i in range(d): v = rng.random(); if sparse and v < 0.3: continue
//	                   x[i] = 4*rng.random() - 2
//	y = sum((i+1)*0.5*(-1)**i*xi) + 3 + 0.1*rng.random()
func regStream(seed int64, n, d int, sparse bool) []regRecord {
	rng := pyrand.New(seed)
	out := make([]regRecord, 0, n)
	for t := 0; t < n; t++ {
		var idx []int32
		var val []float64
		for i := 0; i < d; i++ {
			v := rng.Random()
			if sparse && v < 0.3 {
				continue
			}
			idx = append(idx, int32(i))
			val = append(val, 4*rng.Random()-2)
		}
		s := 0.0
		for k, i := range idx {
			sign := 1.0
			if i%2 == 1 {
				sign = -1
			}
			s += float64(i+1) * 0.5 * sign * val[k]
		}
		y := s + 3 + 0.1*rng.Random()
		var x feature.Vector
		if sparse {
			x = feature.Sparse(idx, val)
		} else {
			x = feature.Dense(val)
		}
		out = append(out, regRecord{x, y})
	}
	return out
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-12*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func checkFloats(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d values %v, want %d %v", what, len(got), got, len(want), want)
	}
	for i := range want {
		if !near(got[i], want[i]) {
			t.Errorf("%s[%d] = %.17g, want %.17g (River)", what, i, got[i], want[i])
		}
	}
}

func TestLinearRegressionRiverGolden(t *testing.T) {
	dense := regStream(42, 200, 5, false)
	cases := []struct {
		name      string
		opts      []Option
		data      []regRecord
		weight    float64
		preds     []float64 // the last three prequential predictions
		weights   []float64
		intercept float64
	}{
		{
			// linear_model.LinearRegression()
			name:      "default",
			data:      dense,
			weight:    1,
			preds:     []float64{0.16164792272061979, 5.501738520431527, 6.966894249672899},
			weights:   []float64{0.4801837688034322, -0.9946616702487782, 1.487345954418377, -2.0031012797791807, 2.49272325775748},
			intercept: 2.998097411099604,
		},
		{
			// LinearRegression(l2=0.1, intercept_lr=0.1, intercept_init=1.0, optimizer=optim.SGD(0.05))
			name:      "l2",
			opts:      []Option{WithL2(0.1), WithInterceptLR(0.1), WithInterceptInit(1), WithLearningRate(0.05)},
			data:      dense,
			weight:    1,
			preds:     []float64{0.5299483416864312, 5.526289753975224, 6.951564381038892},
			weights:   []float64{0.5473790428359755, -0.9176133255418933, 1.4083796563132531, -1.8260344306310416, 2.437165870806531},
			intercept: 3.024922259800604,
		},
		{
			// LinearRegression(clip_gradient=0.5)
			name:      "clip",
			opts:      []Option{WithClipGradient(0.5)},
			data:      dense,
			weight:    1,
			preds:     []float64{0.16642065074189544, 1.2075824070048164, 1.0161603492426918},
			weights:   []float64{-0.06029806432857776, -0.24280098592839816, 0.27356419880770033, -0.3307567010152143, 0.48491358796282974},
			intercept: 0.5524847532622293,
		},
		{
			// LinearRegression().learn_one(x, y, w=2.5)
			name:      "weighted",
			data:      dense,
			weight:    2.5,
			preds:     []float64{0.1598299608742364, 5.573972443810359, 7.051541601194662},
			weights:   []float64{0.4948690343615731, -0.9994574880549397, 1.496190395634525, -2.0084424510368994, 2.5001218928627664},
			intercept: 3.044501325113009,
		},
		{
			// LinearRegression(l2=0.05) on stream(7, 200, 6, sparse=True):
			// absent keys are neither used nor shrunk.
			name:      "sparse_l2",
			opts:      []Option{WithL2(0.05)},
			data:      regStream(7, 200, 6, true),
			weight:    1,
			preds:     []float64{0.22844384337742074, -1.7328068222825133, 4.129813275966006},
			weights:   []float64{0.4618919379670064, -0.9736428632789168, 1.4389057267336975, -1.9601778903702618, 2.3838520601574076, -2.884541717486815},
			intercept: 3.043146172895134,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := NewLinearRegression(c.opts...)
			if err != nil {
				t.Fatal(err)
			}
			var preds []float64
			for _, r := range c.data {
				preds = append(preds, m.PredictOne(r.x))
				m.LearnWeighted(r.x, r.y, c.weight)
			}
			checkFloats(t, "predictions", preds[len(preds)-3:], c.preds)
			checkFloats(t, "weights", m.Weights(), c.weights)
			checkFloats(t, "intercept", []float64{m.Intercept()}, []float64{c.intercept})
		})
	}
}

// TestLinearRegressionDenseNaNIsMissing: a NaN in a dense record behaves
// exactly like the key being absent from River's dict.
func TestLinearRegressionDenseNaNIsMissing(t *testing.T) {
	sparse := regStream(7, 200, 6, true)
	a, _ := NewLinearRegression(WithL2(0.05))
	b, _ := NewLinearRegression(WithL2(0.05))
	for _, r := range sparse {
		dense := make([]float64, 6)
		for i := range dense {
			dense[i] = math.NaN()
		}
		r.x.Range(func(i int, v float64) { dense[i] = v })
		pa, pb := a.PredictOne(r.x), b.PredictOne(feature.Dense(dense))
		if pa != pb {
			t.Fatalf("sparse prediction %v, dense-with-NaN prediction %v", pa, pb)
		}
		a.LearnOne(r.x, r.y)
		b.LearnOne(feature.Dense(dense), r.y)
	}
	checkFloats(t, "weights", b.Weights(), a.Weights())
}

type clfRecord struct {
	x feature.Vector
	y int
}

// clfStream mirrors glm_golden.py's cstream(seed, n, d, scale):
//
//	x = {i: scale*(2*rng.random() - 1) for i in range(d)}
//	y = x[0] - 2*x[1] + 0.5*x[2] + 0.3*(rng.random() - 0.5) > 0
func clfStream(seed int64, n, d int, scale float64) []clfRecord {
	rng := pyrand.New(seed)
	out := make([]clfRecord, 0, n)
	for t := 0; t < n; t++ {
		x := make([]float64, d)
		for i := range x {
			x[i] = scale * (2*rng.Random() - 1)
		}
		s := x[0] - 2*x[1] + 0.5*x[2]
		y := 0
		if s+0.3*(rng.Random()-0.5) > 0 {
			y = 1
		}
		out = append(out, clfRecord{feature.Dense(x), y})
	}
	return out
}

func TestLogisticRegressionRiverGolden(t *testing.T) {
	data := clfStream(3, 300, 4, 1)
	cases := []struct {
		name      string
		opts      []Option
		data      []clfRecord
		first     []float64 // p_true of the first two prequential predictions
		last      []float64 // and of the last three
		weights   []float64
		intercept float64
	}{
		{
			// linear_model.LogisticRegression()
			name:      "default",
			data:      data,
			first:     []float64{0.5, 0.49863290063621196},
			last:      []float64{0.6469449189831512, 0.5215373321673739, 0.3953705160513147},
			weights:   []float64{0.16756438762832881, -0.6287583143093726, 0.03241975147536365, 0.01101871942702988},
			intercept: 0.02486463545524339,
		},
		{
			// LogisticRegression(optimizer=optim.SGD(0.5), l2=0.01)
			name:      "sgd_l2",
			opts:      []Option{WithLearningRate(0.5), WithL2(0.01)},
			data:      data,
			first:     []float64{0.5, 0.49289533968576094},
			last:      []float64{0.9834812920866827, 0.5420811430002218, 0.06785994774926456},
			weights:   []float64{1.578274506520462, -3.8543265294501006, 0.4344757698617578, 0.1190838049455896},
			intercept: 0.021707473046129612,
		},
		{
			// LogisticRegression(optimizer=optim.SGD(0.5)) on cstream(5, 100, 4, 40.0):
			// |z| > 18 loss guards and the sigmoid's ±30 clamp.
			name:      "big",
			opts:      []Option{WithLearningRate(0.5)},
			data:      clfStream(5, 100, 4, 40),
			first:     []float64{0.5, 0},
			last:      []float64{0, 0, 1},
			weights:   []float64{16.647041123095203, -41.42880131121702, 9.54602512441029, 4.208345430166458},
			intercept: 0.015000000000000001,
		},
		{
			// LogisticRegression(loss=optim.losses.Log(weight_pos=3.0, weight_neg=0.5))
			name:      "class_weights",
			opts:      []Option{WithClassWeights(3, 0.5)},
			data:      data,
			first:     []float64{0.5, 0.49931644904057376},
			last:      []float64{0.8513646244152229, 0.7460319590700408, 0.5952729361996906},
			weights:   []float64{0.20221147848314433, -0.8197069537741745, 0.040116008671238566, -0.0025958134472949114},
			intercept: 0.9971895334645743,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := NewLogisticRegression(c.opts...)
			if err != nil {
				t.Fatal(err)
			}
			var ps []float64
			var proba []float64
			for _, r := range c.data {
				proba = m.PredictProbaOne(r.x, proba)
				if !near(proba[0]+proba[1], 1) {
					t.Fatalf("probabilities %v do not sum to 1", proba)
				}
				ps = append(ps, proba[1])
				m.LearnOne(r.x, r.y)
			}
			checkFloats(t, "first p_true", ps[:2], c.first)
			checkFloats(t, "last p_true", ps[len(ps)-3:], c.last)
			checkFloats(t, "weights", m.Weights(), c.weights)
			checkFloats(t, "intercept", []float64{m.Intercept()}, []float64{c.intercept})
		})
	}
}

func TestLogisticRegressionUntrained(t *testing.T) {
	// River: LogisticRegression().predict_proba_one({0: 1.0}) == {False: 0.5, True: 0.5}
	// and predict_one gives False (ties keep the first key).
	m, _ := NewLogisticRegression()
	x := feature.Dense([]float64{1})
	if p := m.PredictProbaOne(x, nil); len(p) != 2 || p[0] != 0.5 || p[1] != 0.5 {
		t.Fatalf("untrained proba %v, want [0.5 0.5]", p)
	}
	if c := m.PredictOne(x); c != 0 {
		t.Fatalf("untrained class %d, want 0", c)
	}
}

func TestLogisticRegressionRejectsMulticlass(t *testing.T) {
	m, _ := NewLogisticRegression()
	defer func() {
		if recover() == nil {
			t.Fatal("class 2 accepted")
		}
	}()
	m.LearnOne(feature.Dense([]float64{1}), 2)
}

func TestGLMOptionValidation(t *testing.T) {
	bad := [][]Option{
		{WithLearningRate(-1)},
		{WithLearningRate(math.NaN())},
		{WithInterceptLR(math.Inf(1))},
		{WithL2(-0.1)},
		{WithClipGradient(0)},
		{WithInterceptInit(math.NaN())},
		{WithClassWeights(-1, 1)},
	}
	for i, opts := range bad {
		if _, err := NewLogisticRegression(opts...); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
	if _, err := NewLinearRegression(WithClassWeights(2, 1)); err == nil {
		t.Error("class weights accepted by LinearRegression")
	}
}

func TestGLMSnapshotRoundTrip(t *testing.T) {
	data := clfStream(3, 100, 4, 1)
	m, _ := NewLogisticRegression(WithL2(0.01), WithClassWeights(2, 1))
	for _, r := range data[:50] {
		m.LearnOne(r.x, r.y)
	}
	got, err := snapshot.Unmarshal(snapshot.Marshal(m))
	if err != nil {
		t.Fatal(err)
	}
	c := got.(*LogisticRegression)
	for _, r := range data[50:] {
		if a, b := m.ProbaTrue(r.x), c.ProbaTrue(r.x); a != b {
			t.Fatalf("restored model predicts %v, original %v", b, a)
		}
		m.LearnOne(r.x, r.y)
		c.LearnOne(r.x, r.y)
	}

	reg, _ := NewLinearRegression(WithInterceptInit(2))
	for _, r := range regStream(1, 20, 3, false) {
		reg.LearnOne(r.x, r.y)
	}
	got, err = snapshot.Unmarshal(snapshot.Marshal(reg))
	if err != nil {
		t.Fatal(err)
	}
	checkFloats(t, "restored weights", got.(*LinearRegression).Weights(), reg.Weights())

	// A corrupted configuration inside a valid container is refused.
	bad, _ := NewLinearRegression()
	bad.cfg.clipGradient = -1
	if _, err := snapshot.Unmarshal(snapshot.Marshal(bad)); err == nil {
		t.Error("negative clip_gradient accepted from a snapshot")
	}
}

func TestCloneFresh(t *testing.T) {
	m, _ := NewLinearRegression(WithInterceptInit(1.5), WithL2(0.2))
	for _, r := range regStream(1, 20, 3, false) {
		m.LearnOne(r.x, r.y)
	}
	c := m.CloneFresh()
	if c.Intercept() != 1.5 || len(c.Weights()) != 0 || c.cfg != m.cfg {
		t.Fatalf("fresh clone: intercept %v, weights %v, cfg %+v", c.Intercept(), c.Weights(), c.cfg)
	}
	l, _ := NewLogisticRegression(WithClassWeights(2, 1))
	l.LearnOne(feature.Dense([]float64{1, 2}), 1)
	lc := l.CloneFresh().(*LogisticRegression)
	if lc.Intercept() != 0 || len(lc.Weights()) != 0 || lc.cfg != l.cfg {
		t.Fatal("logistic clone is not fresh")
	}
}
