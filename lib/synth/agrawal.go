package synth

import (
	"fmt"
	"math"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
)

var agrawalParams = []string{"classification_function", "seed", "balance_classes", "perturbation"}

// agrawalFeatures are River's dict keys, in River's order.
var agrawalFeatures = []string{"salary", "commission", "age", "elevel", "car", "zipcode", "hvalue", "hyears", "loan"}

// Agrawal is River's synth.Agrawal: loan-approval records of nine features
// (salary, commission, age, elevel, car, zipcode, hvalue, hyears, loan)
// labelled 0/1 by one of ten functions.
//
// It reproduces River 0.26.1 draw for draw, including its departures from
// MOA and the original paper, which are kept deliberately so that streams
// and accuracies match River:
//   - hvalue = (8 - zipcode)·100000·(0.5 + U); MOA uses 9.
//   - labels are int(condition): function 0 gives 1 for age < 40 or
//     age >= 60, the opposite polarity of MOA's "group A".
//   - function 4 compares salary where MOA compares loan (so, e.g., the
//     branch 200000 <= salary <= 400000 is never true).
//   - with perturbation, hvalue is clipped to the inverted range
//     [(9 - zipcode)·100000, 0], which leaves it at either bound.
type Agrawal struct {
	function     int
	balance      bool
	perturbation float64
	seed         int64

	rng                   *pyrand.Rand
	nextClassShouldBeZero bool
	schema                *feature.Schema
}

// NewAgrawal returns an Agrawal generator. Options: ClassificationFunction
// (0-9, default 0), Seed, BalanceClasses (default false), Perturbation
// ([0, 1], default 0).
func NewAgrawal(opts ...Option) (*Agrawal, error) {
	var c config
	if err := c.apply("Agrawal", opts, agrawalParams...); err != nil {
		return nil, err
	}
	if c.classificationFunction < 0 || c.classificationFunction > 9 {
		return nil, fmt.Errorf("synth: Agrawal classification_function takes values from 0 to 9 and %d was passed", c.classificationFunction)
	}
	if err := checkUnit("Agrawal perturbation", c.perturbation); err != nil {
		return nil, err
	}
	g := &Agrawal{
		function:     c.classificationFunction,
		balance:      c.balanceClasses,
		perturbation: c.perturbation,
		seed:         c.resolvedSeed(),
		schema:       feature.NewSchema(agrawalFeatures...),
	}
	g.Reset()
	return g, nil
}

func (g *Agrawal) NFeatures() int          { return 9 }
func (g *Agrawal) NClasses() int           { return 2 }
func (g *Agrawal) Schema() *feature.Schema { return g.schema }

// Nominal returns elevel, car and zipcode.
func (g *Agrawal) Nominal() []string { return []string{"elevel", "car", "zipcode"} }

// Reset restarts the stream. As in River, a function chosen by
// GenerateDrift stays in force.
func (g *Agrawal) Reset() {
	g.rng = pyrand.New(g.seed)
	g.nextClassShouldBeZero = false
}

// ClassificationFunction is the label function in use.
func (g *Agrawal) ClassificationFunction() int { return g.function }

// GenerateDrift switches to another label function, drawn from the
// stream's own generator as River's generate_drift does.
func (g *Agrawal) GenerateDrift() {
	f := g.rng.RandInt(0, 9)
	for f == g.function {
		f = g.rng.RandInt(0, 9)
	}
	g.function = f
}

// Next writes salary, commission, age, elevel, car, zipcode, hvalue, hyears
// and loan into x[0:9] and returns the label.
func (g *Agrawal) Next(x []float64) int {
	x = x[:9]
	r := g.rng
	var (
		salary, commission, hvalue, loan     float64
		age, elevel, car, zipcode, hyears, y int
	)
	for {
		// The float64 conversions round each product before the sum, as
		// Python does; without them a compiler may fuse a*b+c.
		salary = 20000 + float64(130000*r.Random())
		commission = 0
		if salary < 75000 {
			commission = 10000 + float64(75000*r.Random())
		}
		age = r.RandInt(20, 80)
		elevel = r.RandInt(0, 4)
		car = r.RandInt(1, 20)
		zipcode = r.RandInt(0, 8)
		hvalue = float64((8-zipcode)*100000) * (0.5 + r.Random())
		hyears = r.RandInt(1, 30)
		loan = r.Random() * 500000
		y = agrawalLabel(g.function, salary, commission, age, elevel, hvalue, hyears, loan)
		if !g.balance {
			break
		}
		if (g.nextClassShouldBeZero && y == 0) || (!g.nextClassShouldBeZero && y == 1) {
			g.nextClassShouldBeZero = !g.nextClassShouldBeZero
			break
		}
	}
	fage, fhyears := float64(age), float64(hyears)
	if g.perturbation > 0 {
		salary = g.perturb(salary, 20000, 150000, 130000)
		if commission > 0 {
			commission = g.perturb(commission, 10000, 75000, 65000)
		}
		// Python's round() is round-half-to-even.
		fage = math.RoundToEven(g.perturb(fage, 20, 80, 60))
		// River passes (9 - zipcode)·100000 as the minimum and 0 as the
		// maximum, so the clip lands on one of them.
		hvalue = g.perturb(hvalue, float64((9-zipcode)*100000), 0, 135000)
		fhyears = math.RoundToEven(g.perturb(fhyears, 1, 30, 29))
		loan = g.perturb(loan, 0, 500000, 500000)
	}
	x[0], x[1], x[2], x[3], x[4] = salary, commission, fage, float64(elevel), float64(car)
	x[5], x[6], x[7], x[8] = float64(zipcode), hvalue, fhyears, loan
	return y
}

// perturb is River's _perturb_value: val + range·2(U-0.5)·perturbation,
// clipped to [min, max] testing the minimum first.
func (g *Agrawal) perturb(val, lo, hi, span float64) float64 {
	val += float64(span * (2 * (g.rng.Random() - 0.5)) * g.perturbation)
	if val < lo {
		return lo
	}
	if val > hi {
		return hi
	}
	return val
}

// agrawalLabel evaluates River's classification function f. Integer
// features stay ints so that mixed int/float arithmetic rounds as Python's.
func agrawalLabel(f int, salary, commission float64, age, elevel int, hvalue float64, hyears int, loan float64) int {
	b := func(c bool) int {
		if c {
			return 1
		}
		return 0
	}
	in := func(v, lo, hi float64) bool { return lo <= v && v <= hi }
	switch f {
	case 0:
		return b(age < 40 || 60 <= age)
	case 1:
		switch {
		case age < 40:
			return b(in(salary, 50000, 100000))
		case age < 60:
			return b(in(salary, 75000, 125000))
		default:
			return b(in(salary, 25000, 75000))
		}
	case 2:
		switch {
		case age < 40:
			return b(elevel == 0 || elevel == 1)
		case age < 60:
			return b(elevel == 1 || elevel == 2 || elevel == 3)
		default:
			return b(elevel == 2 || elevel == 3 || elevel == 4)
		}
	case 3:
		switch {
		case age < 40:
			if elevel == 0 || elevel == 1 {
				return b(in(salary, 25000, 75000))
			}
			return b(in(salary, 50000, 100000))
		case age < 60:
			if elevel == 1 || elevel == 2 || elevel == 3 {
				return b(in(salary, 50000, 100000))
			}
			return b(in(salary, 75000, 125000))
		default:
			if elevel == 2 || elevel == 3 || elevel == 4 {
				return b(in(salary, 50000, 100000))
			}
			return b(in(salary, 25000, 75000))
		}
	case 4:
		// River's function 4, salary/loan mix-ups included.
		switch {
		case age < 40:
			if in(salary, 50000, 100000) {
				return b(in(loan, 100000, 300000))
			}
			return b(in(salary, 200000, 400000))
		case age < 60:
			if in(salary, 75000, 125000) {
				return b(200000 <= salary && loan <= 400000)
			}
			return b(in(salary, 300000, 500000))
		default:
			if in(salary, 25000, 75000) {
				return b(in(loan, 300000, 500000))
			}
			return b(in(loan, 75000, 300000))
		}
	case 5:
		total := salary + commission
		switch {
		case age < 40:
			return b(in(total, 50000, 100000))
		case age < 60:
			return b(in(total, 75000, 125000))
		default:
			return b(in(total, 25000, 75000))
		}
	}
	var disposable float64
	switch f {
	case 6:
		disposable = 2*(salary+commission)/3 - loan/5 - 20000
	case 7:
		disposable = 2*(salary+commission)/3 - float64(5000*elevel) - 20000
	case 8:
		disposable = 2*(salary+commission)/3 - float64(5000*elevel) - loan/5 - 10000
	default: // 9
		equity := 0.0
		if hyears >= 20 {
			equity = hvalue * float64(hyears-20) / 10
		}
		disposable = 2*(salary+commission)/3 - float64(5000*elevel) + equity/5 - 10000
	}
	return 1 - b(disposable > 1)
}
