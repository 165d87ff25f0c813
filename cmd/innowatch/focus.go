package main

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/duckdb"
)

func newFocusCmd(e *env) *cobra.Command {
	var city string
	cmd := &cobra.Command{
		Use:   "focus [--city CODE]",
		Short: "Show or set whose counties are compared with which province",
		Long: `focus shows the focus city and its province (default 371300 临沂市 in
370000 山东省). With --city it sets the focus to another prefecture city of the
national region table; its province follows from the hierarchy. The models,
pages and bulletins take their regions and names from the focus: run
innowatch build and innowatch render afterwards (or innowatch run).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.writer(cmd.Context(), dbFlag(cmd), "focus", func(ctx context.Context, w *work) error {
				if city != "" {
					cat, err := w.catalog()
					if err != nil {
						return err
					}
					r, err := cat.Region(city)
					if err != nil {
						return err
					}
					if r.Level != innowatch.LevelCity {
						return &innowatch.Error{Msg: fmt.Sprintf("%s %s is a %s, not a prefecture city", r.Code, r.Name, r.Level),
							Hint: "give the code of a prefecture city (地级市), e.g. 370200 青岛市"}
					}
					err = w.db.Write(ctx, func(conn *sql.Conn) error {
						return duckdb.InTx(ctx, conn, func(tx *sql.Tx) error {
							if _, err := tx.ExecContext(ctx, "DELETE FROM focus"); err != nil {
								return err
							}
							_, err := tx.ExecContext(ctx, "INSERT INTO focus VALUES (?, ?)", r.Code, r.Parent)
							return err
						})
					})
					if err != nil {
						return fmt.Errorf("set focus: %w", err)
					}
					w.details["focus"] = r.Code
					w.changed = true
				}
				var c, cn, p, pn string
				err := w.db.SQL().QueryRowContext(ctx, `SELECT f.city_code, c.name, f.province_code, p.name
					FROM focus f JOIN regions c ON c.code = f.city_code JOIN regions p ON p.code = f.province_code`).Scan(&c, &cn, &p, &pn)
				if err != nil {
					return fmt.Errorf("read focus: %w", err)
				}
				fmt.Fprintf(e.stdout, "focus      %s %s, compared with %s %s\n", c, cn, p, pn)
				if city != "" {
					fmt.Fprintln(e.stdout, "next       innowatch build && innowatch render (or innowatch run)")
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&city, "city", "", "code of the prefecture city to focus on (e.g. 370200)")
	return cmd
}
