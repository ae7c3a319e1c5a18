package ghtest

import (
	"os"
	"testing"

	"github.com/cronbridge/cronbridge/internal/testtool"
)

func BenchmarkLoadSpec(b *testing.B) {
	p, err := SpecPath(os.Getenv, "../../..")
	if err != nil {
		testtool.Unavailable(b, err)
	}
	for b.Loop() {
		if _, err := LoadSpec(p); err != nil {
			b.Fatal(err)
		}
	}
}
