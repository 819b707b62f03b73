"""The workbook's exercises: for each, the stub a learner edits, a check that runs the learner's
function against real responses from the backend and names the case that failed, hints, and
the reference solution (shown, loaded into a cell, or used in headless runs).

One module per lesson (configure_organization, first_time_enrollment, returning_login,
optional_enrollment), one for the drills' error handling (error_handling) and one for the
capstone (capstone, with its reference app in capstone_app). The shared machinery: exercise
(stubs, checks, hints, solutions), feedback (what a check shows), backends (where a check gets
its responses), scenarios (the members and logins the checks set up).

In a notebook:

    from helpers.exercises import first_time_enrollment
    q1, q2 = first_time_enrollment.exercises(use_solutions=USE_SOLUTIONS)
    ...
    q1.check(next_step)     # q1.hint(), q1.solution(), q1.load_solution(), q1.reset()
"""
