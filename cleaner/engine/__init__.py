"""The engines that run rules: patterns with needles (`rx`, `needles`), the text-rule engine
(`text`), the DOM-rule engine (`dom`) and the span arithmetic of provenance (`spans`)."""
