package ghtest

import (
	"os"
	"testing"
)

func BenchmarkLoadSpec(b *testing.B) {
	p, err := SpecPath(os.Getenv, "../../..")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := LoadSpec(p); err != nil {
			b.Fatal(err)
		}
	}
}
