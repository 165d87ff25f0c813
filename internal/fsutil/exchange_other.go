//go:build !linux

package fsutil

import "errors"

func exchange(a, b string) error { return errors.New("atomic exchange not supported here") }
