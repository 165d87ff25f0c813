//go:build !unix

package schedule

import (
	"errors"
	"os"
)

func tryLock(*os.File) (bool, error) {
	return false, errors.New("the scheduler's lock needs a Unix system (Linux server); run the daemon there")
}

func unlock(*os.File) {}
