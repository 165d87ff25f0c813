-- index_parameters, whatever its columns: printed as they are on the methodology page.
SELECT * FROM index_parameters ORDER BY ALL
