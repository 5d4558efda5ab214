-- Disabled in dbt_project.yml: building it would fail.
select * from a_table_that_does_not_exist
