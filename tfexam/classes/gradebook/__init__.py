"""`tfexam class grade SUBMISSIONS --out DIR`: a whole class graded into a gradebook, resumably.

    submissions  each student's entry (a checkout, a folder of exam-era files, a zip of either) read
                 into the files each category grades, without running them
    units        one (student, category) grading: the files it sends, its content key, its result
    engines      where the units run: local worker threads, or a Dask cluster's workers
    book         the gradebook (CSV, JSON), each student's results and report, the class summary
    command      the command: discover, skip what is graded, grade the rest, write as each finishes
"""
