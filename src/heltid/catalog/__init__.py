"""The intervention catalogue: staircase steps, actors and agreements, interventions,
dated capacity and the occupancy that capacity is compared with."""
