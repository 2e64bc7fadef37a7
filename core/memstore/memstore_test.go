package memstore_test

import (
	"testing"

	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/core/store"
	"github.com/goxmtp/goxmtp/core/storetest"
)

func open(testing.TB) store.Store { return memstore.New() }

func TestConformance(t *testing.T) { storetest.Run(t, open) }

func BenchmarkStore(b *testing.B) { storetest.Bench(b, open) }

func FuzzStoreModel(f *testing.F) { storetest.Fuzz(f, open) }
