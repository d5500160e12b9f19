"""The policy controls the kernels read (docs/policies.md): their names and their table.

The kernel record of :func:`twochannel.params.param_record` carries one row of
:data:`CONTROL_DTYPE` per control, in the order of :data:`CONTROL_NAMES` (row ``C_CAPTAX`` is
the capital tax, …), beside the deployment-cadence fields and the ``policy_active`` flag; a
package with no active lever leaves them neutral (flag off), and the kernels then run the
equations of docs/model.md unchanged. Each *control* is a time-varying intensity with four
fields — ``target``, ``start`` (years after 2025), ``lag`` (institutional lag, years) and
``decay`` (1/yr) — read by :func:`twochannel.macro.kernels.control_value`:

    x(t) = target · (1 − exp(−(t − t0)/lag)) · exp(−decay·(t − t0))   for t ≥ t0, else 0

(docs/model.md §10 suggests exactly this partial adjustment, χ̇ = (χ_target − χ)/T_χ; lag = 0 is an
immediate step).

The ``SLOT_*`` offsets describe the same values in the legacy packed vector of
:func:`twochannel.params.pack`, kept only until the household engine reads the record.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "CONTROL_DTYPE",
    "CONTROL_NAMES",
    "N_CONTROLS",
    "N_POLICY_SLOTS",
    "SLOT_CONTROLS",
    "SLOT_DEPLOY_START",
    "SLOT_DEPLOY_STRETCH",
    "SLOT_FLAG",
]

#: Controls, in slot order, with what their value means.
CONTROL_NAMES: tuple[str, ...] = (
    "capital_tax",  # Δτ added to τ(P) on private capital income (M8)
    "wealth_tax",  # τ_W, annual tax on top wealth above the top-1% entry (adds to m in M10)
    "robot_tax",  # τ_R on private AI-complement capital income (M4 AI terms)
    "broad_ownership",  # χ_E, worker (ESOP) share of all capital income (adds to χ in M9)
    "sovereign_fund",  # public stake in AI-complement capital income, net of leakage
    "infrastructure_bonds",  # bond-financed share of AI-complement capital income
    "retraining",  # Δρ_R added to the retooling rate (M16)
    "antitrust",  # fractional cut of the contestable rent share ω_R (M4)
    "institutions_psi",  # fractional cut of ψ, raising S_c = 1/(1 + ψ) (M14)
    "institutions_lag",  # fractional lengthening of the capture time T_P (M15)
    "portable_identity",  # share of the augmentation surplus retooled workers keep without power
    "compute_access",  # Δρ_R of public compute access, aggregate model only (M16)
    "ai_literacy",  # Δρ_R of AI-literacy programmes, aggregate model only (M16)
)
N_CONTROLS = len(CONTROL_NAMES)
C = {name: i for i, name in enumerate(CONTROL_NAMES)}
C_CAPTAX = C["capital_tax"]
C_WEALTHTAX = C["wealth_tax"]
C_ROBOTTAX = C["robot_tax"]
C_BROAD = C["broad_ownership"]
C_SWF = C["sovereign_fund"]
C_BONDS = C["infrastructure_bonds"]
C_RETOOL = C["retraining"]
C_ANTITRUST = C["antitrust"]
C_PSI = C["institutions_psi"]
C_TP = C["institutions_lag"]
C_PORTABLE = C["portable_identity"]
C_ACCESS = C["compute_access"]
C_LITERACY = C["ai_literacy"]

#: One row of the controls table: x(t) = target·(1 − e^{−(t − start)/lag})·e^{−decay (t − start)}.
CONTROL_DTYPE = np.dtype(
    [("target", np.float64), ("start", np.float64), ("lag", np.float64), ("decay", np.float64)]
)

#: Offsets relative to the end of the model parameters.
SLOT_FLAG = 0
SLOT_CONTROLS = 1
SLOT_DEPLOY_STRETCH = SLOT_CONTROLS + 4 * N_CONTROLS
SLOT_DEPLOY_START = SLOT_DEPLOY_STRETCH + 1
N_POLICY_SLOTS = SLOT_DEPLOY_START + 1
