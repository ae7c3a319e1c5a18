package schedule

import (
	"math/bits"
	"sync"
)

// dayBits is a set of day indexes of a calendar (see calendar.go). The
// verifier evaluates whole day predicates at once as word-wide boolean
// operations instead of day by day: about 600 words cover a century.
type dayBits []uint64

func newDayBits(words int) dayBits { return make(dayBits, words) }

// scratch lends the verifier the words of its per-entry bitsets. Each
// entry needs a few dozen kilobytes of them for a few microseconds; with
// 10,000 entries, allocating them afresh made the garbage collector the
// largest cost of a conversion. The pool holds only memory, never
// results: getWords clears what it lends, so a lent slice reads exactly
// as a new one.
var scratch sync.Pool // of *[]uint64

// getWords returns n zeroed words, from the pool when a large enough
// slice is there.
func getWords(n int) []uint64 {
	if p, ok := scratch.Get().(*[]uint64); ok && cap(*p) >= n {
		w := (*p)[:n]
		clear(w)
		return w
	}
	return make([]uint64, n)
}

// putWords returns words to the pool; the caller keeps no reference to
// them (nor to bitsets cut from them).
func putWords(w []uint64) {
	if cap(w) > 0 {
		scratch.Put(&w)
	}
}

func (b dayBits) set(i int)      { b[i>>6] |= 1 << uint(i&63) }
func (b dayBits) has(i int) bool { return b[i>>6]&(1<<uint(i&63)) != 0 }

// setRange sets bits lo..hi-1.
func (b dayBits) setRange(lo, hi int) {
	for i := lo; i < hi; {
		if i&63 == 0 && hi-i >= 64 {
			b[i>>6] = ^uint64(0)
			i += 64
			continue
		}
		b.set(i)
		i++
	}
}

func (b dayBits) or(a dayBits) {
	for i := range b {
		b[i] |= a[i]
	}
}

func (b dayBits) and(a dayBits) {
	for i := range b {
		b[i] &= a[i]
	}
}

func (b dayBits) fill() {
	for i := range b {
		b[i] = ^uint64(0)
	}
}

func (b dayBits) clear() {
	for i := range b {
		b[i] = 0
	}
}

func (b dayBits) copyFrom(a dayBits) { copy(b, a) }

func (b dayBits) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// shiftedFrom sets b[i] = a[i-s] for s in {-1, 0, +1}: the UTC day i fires
// when the local day i-s does.
func (b dayBits) shiftedFrom(a dayBits, s int) {
	switch s {
	case 0:
		copy(b, a)
	case 1:
		var carry uint64
		for i, w := range a {
			b[i] = w<<1 | carry
			carry = w >> 63
		}
	case -1:
		for i := range a {
			w := a[i] >> 1
			if i+1 < len(a) {
				w |= a[i+1] << 63
			}
			b[i] = w
		}
	}
}

// firstDiff returns the lowest index where a and b differ within mask, or -1.
func firstDiff(a, b, mask dayBits) int {
	for i := range a {
		if x := (a[i] ^ b[i]) & mask[i]; x != 0 {
			return i<<6 + bits.TrailingZeros64(x)
		}
	}
	return -1
}

// todSet is a set of minutes of the day (0..1439).
type todSet [23]uint64

func (t *todSet) set(i int)      { t[i>>6] |= 1 << uint(i&63) }
func (t *todSet) has(i int) bool { return t[i>>6]&(1<<uint(i&63)) != 0 }

func (t *todSet) empty() bool {
	for _, w := range t {
		if w != 0 {
			return false
		}
	}
	return true
}

func (t *todSet) or(o *todSet) {
	for i := range t {
		t[i] |= o[i]
	}
}

// row returns the minutes set in hour h as a 60-bit mask.
func (t *todSet) row(h int) uint64 {
	// Minutes h*60 .. h*60+59 straddle at most two words.
	lo := h * 60
	w, off := lo>>6, uint(lo&63)
	r := t[w] >> off
	if off > 4 && w+1 < len(t) {
		r |= t[w+1] << (64 - off)
	}
	return r & (1<<60 - 1)
}
