"""What a run's results become: the score board, the terminal's lines, the HTML report, the files
Classroom and Gradescope read, the Markdown summary, and the status words they all share."""
