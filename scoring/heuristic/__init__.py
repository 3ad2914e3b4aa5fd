"""The heuristic scorer: offline, deterministic and fast, reading an answer like an interviewer.

How it reads (see the modules):
- text.py splits the answer into sentences with exact offsets and decides whether a phrase is
  negated, contrasted away, staged or dismissed in its clause: "rather than views", "we would not
  launch globally until…", "before any global push", "views are a vanity number", "likes alone
  don't tell us…".
- features.py finds the structure interviewers listen for (outcome metric, threshold, baseline,
  control/holdout, hypothesis, staged rollout, commitment and recommendation, prioritisation,
  diagnosis moves, leading indicators, user segment and pain point, quantified result, personal
  actions, collaboration…). Some features ignore negated or hedged mentions ("no control group",
  "we could set up a control of some kind, I guess").
- reading.py runs those patterns over an answer (only the features a rubric's checks use) and
  works out the derived features.
- detect.py turns each failure mode's `signals` (below) into a detector.
- learned.py adds a learned layer (heuristic-8): per failure mode, a logistic regression over
  the answer's words (negated clauses marked), the question's kind and the rules' own findings
  may veto a rule finding or find what the rules missed, quoting the sentence that weighs most.
  It is fitted offline by scripts/train_learned.py into learned.json.
- criteria.py scores each rubric criterion 1-5 from the features it credits, the failure modes
  that cost it, the answer's length and the share of the time limit used.
- Numbers are read however they are said: "34%", "thirty-four percent", "six point two",
  "one in eight", "twice as", "from eleven seconds to under two" (features._NUM).
- fastre.py makes it fast: at each word of the answer, only the alternatives that can begin
  with that word are tried (worked out once per distinct word), in one pass for every pattern
  an answer's reading needs.

`FailureMode.signals` (fixtures/failure_modes.json), every key optional:

    {
      "cues": [regex, ...],        # wording that shows the failure, case-insensitive; a cue
                                   # counts only when not negated/contrasted/staged/dismissed
      "final_cues": [regex, ...],  # cues cleared only by a remedy AFTER them: a refusal
                                   # ("let the VP pick") ends the answer whatever came before
      "context": [regex, ...],     # a cue counts only in a sentence matching one of these
                                   # (e.g. a success or goal sentence for vanity counts)
      "prompt_context": [regex, ...],  # ...unless the prompt matches one of these ("how would
                                   # you measure…" makes every metric named a measure)
      "cancel": [regex, ...],      # a cue's sentence matching one of these does not count
                                   # (e.g. "if", "only after" around a global launch)
      "cancel_before": [regex, ...],  # ...the same, but only before the cue in its sentence
                                   # ("start in one city, then go global" vs "…, then measure")
      "scoped_cues": [regex, ...], # cues that count only in a sentence matching "scope":
      "scope": [regex, ...],       # "at once" is launch scope only beside "every market",
                                   # "worldwide", "everyone" (not "every channel at once")
      "not_within": [feature, ...],  # a cue inside one of these features' spans does not
                                   # count ("creators with 5k to 50k followers" is a segment)
      "remedies": [feature, ...],  # any of these features in the answer clears cue findings
      "kept_with": [feature, ...], # ...except a cue whose sentence shows one of these
                                   # ("success is 200,000 sign-ups": the bar is the count)
      "absence": [                 # rules for failures shown by what is missing
        {"kinds": [kind, ...],     # question kinds the rule applies to (all when empty)
         "prompt": [regex, ...],   # ...and only when the prompt matches one of these
         "not_prompt": [regex],    # ...and not when it matches one of these
         "asked": [regex, ...],    # ...and only when the question's prompt, without its
                                   # context, matches one of these (what is asked about)
         "needs": [feature, ...],  # ...and only when the answer has all of these
         "requires": [[feature, ...], ...],  # each group must be met by one feature,
                                   # otherwise the failure is found
         "min_words": n}
      ],
      "evidence": "proposal" | "last",   # the sentence quoted for an absence finding
      "evidence_hint": [regex, ...],     # ...preferring sentences that match these
      "advice": "lead sentence with {quote}, {terms} (the cues) and {missing} slots"
    }

A failure mode is reported when an un-negated cue appears and no remedy does, or when an
absence rule applies and a required group is missing. Only the rubric's failure modes are
checked. Feature names are those in features.FEATURES plus the derived ones
(reading.DERIVED): "diagnosis" (two of: a segmented look, a data check, two rival causes,
two hypotheses put as questions),
"first_person" (two or more personal actions, or at least half as many as "we"s),
"measurement" (a threshold, or a control or baseline on some metric; a number is a threshold
only in a sentence that judges something by it, and not when it sizes a segment: "creators
with 30k followers", "a $2M budget"), "outcome_measured" (an
outcome metric in a sentence about success), "tech_centric" and "user_focus" (a user segment in
an answer not dominated by technology).
"""

from scoring.heuristic.scorer import HeuristicScorer

__all__ = ["HeuristicScorer"]
